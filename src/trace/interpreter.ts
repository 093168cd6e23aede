// Which interpreter runs the program, and the messages for when it cannot: each names the setting
// that fixes it. Inside VS Code, process.execPath is Electron, not Node: the Node tracer runs with
// `node` from PATH unless a path is set.

import * as path from 'path';
import type { TraceFailure, TraceRun, TracerLanguage } from './protocol';

export interface Interpreter {
  command: string;
  /** The setting that chooses it. */
  setting: NonNullable<TraceFailure['setting']>;
  /** The tracer script it runs. */
  tracer: string;
  /** 'Python' or 'Node', for messages. */
  name: string;
}

export const TRACER_FILES: Record<TracerLanguage, string> = {
  python: 'gradlens_tracer.py',
  node: 'node.js',
};

export function interpreterFor(run: TraceRun, language: TracerLanguage): Interpreter {
  const given =
    typeof run.interpreter === 'string' && run.interpreter.trim() !== '' ? run.interpreter.trim() : undefined;
  return language === 'python'
    ? {
        // python.org's Windows installer puts `python` (and `py`) on PATH, not `python3`.
        command: given ?? (process.platform === 'win32' ? 'python' : 'python3'),
        setting: 'gradientLens.trace.python',
        tracer: path.join(run.tracerDir, TRACER_FILES.python),
        name: 'Python',
      }
    : {
        command: given ?? 'node',
        setting: 'gradientLens.trace.node',
        tracer: path.join(run.tracerDir, TRACER_FILES.node),
        name: 'Node',
      };
}

/** The failure for an interpreter that could not be started. */
export function startFailure(interpreter: Interpreter, err: NodeJS.ErrnoException): TraceFailure {
  const { command, setting, name } = interpreter;
  const why =
    err.code === 'ENOENT'
      ? `${name} was not found: \`${command}\` is not on PATH or does not exist`
      : err.code === 'EACCES'
        ? `\`${command}\` cannot be run (permission denied)`
        : `\`${command}\` could not be started: ${err.message}`;
  return {
    kind: 'interpreter-missing',
    message: `${why}. Install ${name}, or set \`${setting}\` to the interpreter to use.`,
    setting,
  };
}

/** The module a "module not found" error names (Python's and Node's wording), if it is one. */
export function missingModuleOf(type: string, message: string): string | undefined {
  const python = /No module named '([^']+)'/.exec(message);
  if (python && (type === 'ModuleNotFoundError' || type === 'ImportError')) return python[1];
  const node = /Cannot find (?:module|package) '([^']+)'/.exec(message);
  return node ? node[1] : undefined;
}

export function moduleFailure(interpreter: Interpreter, module: string, version: string): TraceFailure {
  const { command, setting, name } = interpreter;
  if (/^[./\\]|^[A-Za-z]:[\\/]/.test(module))
    return {
      kind: 'module-missing',
      module,
      message: `the program imports \`${module}\`, which ${name} cannot find from the importing file's folder`,
    };
  const which = version ? `${version} (\`${command}\`)` : `\`${command}\``;
  const install =
    name === 'Python' ? `\`${command} -m pip install ${module.split('.')[0]}\`` : `\`npm install ${module}\``;
  return {
    kind: 'module-missing',
    module,
    setting,
    message: `the program imports \`${module}\`, which ${which} does not have: install it for that interpreter (${install}), or set \`${setting}\` to one that has it`,
  };
}
