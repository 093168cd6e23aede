// Which interpreter runs the traced program. Python: the one the Python extension has selected for
// the file (its public environments API), else `gradientLens.trace.python`, else `python3` on
// PATH. Node.js: `gradientLens.trace.node`, else `node` on PATH. The Python extension is optional
// and its API is read defensively: any part missing, throwing or slow means "no selection".
import * as vscode from 'vscode';
import type { TracerLanguage } from '../../trace/protocol';
import type { Log } from '../log';
import { readTraceSettings, TRACE_SETTING } from './settings';

export const PYTHON_EXTENSION_ID = 'ms-python.python';

/** The Python extension's activation is awaited at most this long (a first activation can be slow). */
const PYTHON_API_TIMEOUT_MS = 5_000;

export interface Interpreter {
  /** A path, or a command looked up on PATH. */
  command: string;
  /** Where it came from, for the output channel and messages. */
  source: 'python-extension' | 'setting' | 'default';
  /** The setting that picks it (the button of a "not found" message opens it). */
  setting: string;
}

export async function chooseInterpreter(
  language: TracerLanguage,
  resource: vscode.Uri,
  log: Log,
): Promise<Interpreter> {
  const settings = readTraceSettings(resource);
  if (language === 'node') {
    return settings.node
      ? { command: settings.node, source: 'setting', setting: TRACE_SETTING.node }
      : { command: 'node', source: 'default', setting: TRACE_SETTING.node };
  }
  const selected = await pythonExtensionInterpreter(resource, log);
  if (selected) return { command: selected, source: 'python-extension', setting: TRACE_SETTING.python };
  return settings.python
    ? { command: settings.python, source: 'setting', setting: TRACE_SETTING.python }
    : { command: 'python3', source: 'default', setting: TRACE_SETTING.python };
}

/** The shape of the Python extension's public API that is used here, every part optional. */
interface PythonApi {
  environments?: {
    getActiveEnvironmentPath?: (resource?: vscode.Uri) => { id?: unknown; path?: unknown } | undefined;
    resolveEnvironment?: (
      environment: unknown,
    ) => Promise<{ executable?: { uri?: { fsPath?: unknown } } } | undefined> | undefined;
  };
}

/** The executable the Python extension has selected for `resource`, or undefined. Never throws. */
async function pythonExtensionInterpreter(resource: vscode.Uri, log: Log): Promise<string | undefined> {
  try {
    const extension = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION_ID);
    if (!extension) return undefined;
    const api = extension.isActive ? extension.exports : await withTimeout(extension.activate());
    const environments = api?.environments;
    const active = environments?.getActiveEnvironmentPath?.(resource);
    if (!active) return undefined;
    const resolved = await withTimeout(Promise.resolve(environments?.resolveEnvironment?.(active)));
    const executable = resolved?.executable?.uri?.fsPath;
    if (typeof executable === 'string' && executable.length > 0) return executable;
    // An environment the extension could not resolve still names its path (an interpreter, or a folder).
    return typeof active.path === 'string' && /python[\d.]*(\.exe)?$/i.test(active.path) ? active.path : undefined;
  } catch (error) {
    log.error("trace: reading the Python extension's interpreter", error);
    return undefined;
  }
}

function withTimeout<T>(promise: Thenable<T>): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), PYTHON_API_TIMEOUT_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
