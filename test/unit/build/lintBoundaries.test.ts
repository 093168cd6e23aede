// The import boundaries of eslint.config.mjs are what keeps the layering of README's "How it is
// built" true (the engine alone, the core without `vscode` or Node, the webview without the core at
// run time). A rule that cannot fail checks nothing: for each boundary this feeds ESLint, through
// its Node API and the repository's own config, a file that breaks it (expecting the boundary's
// error) and a file that keeps it (expecting none). The files exist only as text, under the path
// they pretend to have. It also proves that the ESM config loads from this CommonJS test.
import * as assert from 'assert';
import * as path from 'path';
import { ESLint, type Linter } from 'eslint';

const ROOT = path.resolve(__dirname, '../../../..');
const RULE = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint;

/** The boundary errors ESLint reports for `code` as the file `file` (repo-relative). */
async function boundaryErrors(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file), warnIgnored: true });
  const fatal = result.messages.filter((m) => m.fatal || m.ruleId === null);
  assert.deepStrictEqual(fatal, [], `${file}: ESLint could not lint it`);
  return result.messages.filter((m) => m.ruleId === RULE);
}

/** `code` as `file` breaks a boundary, and the error says which (`because` is in its message). */
async function breaks(file: string, code: string, because: RegExp | string): Promise<void> {
  const errors = await boundaryErrors(file, code);
  assert.strictEqual(
    errors.length,
    1,
    `${file}: expected one boundary error for\n  ${code}\ngot ${JSON.stringify(errors)}`,
  );
  assert.match(errors[0].message, typeof because === 'string' ? new RegExp(escapeRegex(because)) : because);
}

/** `code` as `file` keeps every boundary. */
async function keeps(file: string, code: string): Promise<void> {
  const errors = await boundaryErrors(file, code);
  assert.deepStrictEqual(
    errors.map((e) => e.message),
    [],
    `${file}: expected no boundary error for\n  ${code}`,
  );
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('lint: import boundaries (eslint.config.mjs)', function () {
  // The first lint loads the ESM config, typescript-eslint and the TypeScript parser.
  this.timeout(120_000);

  before(async () => {
    eslint = new ESLint({ cwd: ROOT });
    await boundaryErrors('engine/probe.ts', 'export {};\n');
  });

  it('the repository config is the one in use', async () => {
    const config = await eslint.calculateConfigForFile(path.join(ROOT, 'src/core/probe.ts'));
    assert.ok(config.rules?.[RULE], `${RULE} is configured for src/core/`);
  });

  describe('engine/ imports nothing outside engine/', () => {
    const because = 'engine/ imports nothing outside engine/';
    it('breaks: src/, vscode, a Node built-in, a package', async () => {
      await breaks('engine/probe.ts', "import { analyze } from '../src/core';\n", because);
      await breaks('engine/probe.ts', "import * as vscode from 'vscode';\n", because);
      await breaks('engine/probe.ts', "import * as fs from 'fs';\n", because);
      await breaks('engine/probe.ts', "import { readFile } from 'node:fs/promises';\n", because);
      await breaks('engine/probe.ts', "import { Graphviz } from '@hpcc-js/wasm-graphviz';\n", because);
      await breaks('engine/probe.ts', "export { Value } from '../engine2/value';\n", because);
      await breaks('engine/sub/probe.ts', "import { analyze } from '../../src/core';\n", because);
    });
    it('keeps: its own modules, at any depth', async () => {
      await keeps('engine/probe.ts', "import { Value } from './value';\nexport { topoSort } from './topo';\n");
      await keeps('engine/sub/probe.ts', "import { Value } from '../value';\nimport { x } from './x';\n");
      await keeps('engine/sub/deeper/probe.ts', "import { Value } from '../../value';\n");
    });
  });

  describe('src/core/ imports only engine/ and itself', () => {
    const because = 'src/core/ imports only engine/ and itself';
    it('breaks: vscode, the host, the graph model, the text builders, shared, the webview, Node', async () => {
      for (const code of [
        "import * as vscode from 'vscode';\n",
        "import { readConfig } from '../host/config';\n",
        "import { toDot } from '../graph/dot';\n",
        "import type { GraphView } from '../graph/graphView';\n",
        "import { lensTitle } from '../text/lensTitle';\n",
        "import type { ShowMessage } from '../shared/protocol';\n",
        "import { render } from '../webview/render';\n",
        "import { main } from '../cli';\n",
        "import * as path from 'path';\n",
        "import { Worker } from 'node:worker_threads';\n",
        "import { Value } from '../../engine2';\n",
      ]) {
        await breaks('src/core/probe.ts', code, because);
      }
      await breaks('src/core/sub/probe.ts', "import { toDot } from '../../graph/dot';\n", because);
    });
    it('keeps: engine/ and its own modules', async () => {
      await keeps(
        'src/core/probe.ts',
        "import { Value } from '../../engine';\nimport { gradcheck } from '../../engine/gradcheck';\nimport type { Lens } from './types';\n",
      );
      await keeps(
        'src/core/sub/probe.ts',
        "import { Value } from '../../../engine';\nimport type { Lens } from '../types';\n",
      );
    });
  });

  describe('src/graph/ and src/text/ never import vscode or the host', () => {
    it('breaks: vscode, src/host/, src/extension.ts, a Node built-in', async () => {
      for (const file of ['src/graph/probe.ts', 'src/text/probe.ts']) {
        await breaks(file, "import * as vscode from 'vscode';\n", '`vscode` only in src/host/');
        await breaks(file, "import { readConfig } from '../host/config';\n", 'not the host');
        await breaks(file, "import type { Context } from '../host/context';\n", 'not the host');
        await breaks(file, "import { activate } from '../extension';\n", 'not the host');
        await breaks(file, "import * as fs from 'fs';\n", 'no Node built-ins');
      }
    });
    it('keeps: the core, the engine, shared, each other', async () => {
      await keeps(
        'src/graph/probe.ts',
        "import { formatNumber } from '../core/format';\nimport { escapeQuoted } from '../../engine/graph';\nimport type { GraphView } from '../shared/graphView';\n",
      );
      await keeps(
        'src/text/probe.ts',
        "import type { Lens } from '../core';\nimport { localDerivative } from '../graph/localDerivative';\n",
      );
    });
  });

  describe('src/shared/ imports nothing outside src/shared/', () => {
    const because = 'src/shared/ imports nothing outside src/shared/';
    it('breaks: vscode, the core (even its types), the graph model, a package', async () => {
      await breaks('src/shared/probe.ts', "import * as vscode from 'vscode';\n", because);
      await breaks('src/shared/probe.ts', "import type { Graph } from '../core/types';\n", because);
      await breaks('src/shared/probe.ts', "import { toDot } from '../graph/dot';\n", because);
      await breaks('src/shared/probe.ts', "import { Graphviz } from '@hpcc-js/wasm-graphviz';\n", because);
    });
    it('keeps: its own modules', async () => {
      await keeps(
        'src/shared/probe.ts',
        "import type { GraphView } from './graphView';\nexport { MessageType } from './protocol';\n",
      );
    });
  });

  describe('src/trace/ imports only engine/, src/core/, Node built-ins and itself', () => {
    const because = 'src/trace/ imports only engine/, src/core/, Node built-ins and itself';
    it('breaks: vscode, the host, the graph model, the webview, the tracers, a package', async () => {
      for (const code of [
        "import * as vscode from 'vscode';\n",
        "import { readConfig } from '../host/config';\n",
        "import type { Context } from '../host/context';\n",
        "import { toDot } from '../graph/dot';\n",
        "import { render } from '../webview/render';\n",
        "import { main } from '../cli';\n",
        "import { trace } from '../tracer/node/main';\n",
        "import { transform } from 'sucrase';\n",
        "import * as fs from 'fs-extra';\n",
      ]) {
        await breaks('src/trace/probe.ts', code, because);
      }
      await breaks('src/trace/sub/probe.ts', "import { readConfig } from '../../host/config';\n", because);
      await breaks('src/trace/sub/probe.ts', "import * as vscode from 'vscode';\n", because);
    });
    it('keeps: the core, the engine, Node built-ins and its own modules', async () => {
      await keeps(
        'src/trace/probe.ts',
        [
          "import { analyzeText } from '../core';",
          "import { DocumentIndex } from '../core/document';",
          "import { Value, OPS } from '../../engine';",
          "import { spawn } from 'child_process';",
          "import * as fs from 'node:fs/promises';",
          "import * as os from 'os';",
          "import type { TraceRun } from './protocol';",
          '',
        ].join('\n'),
      );
      await keeps(
        'src/trace/sub/probe.ts',
        "import type { Lens } from '../../core/types';\nimport { Value } from '../../../engine';\nimport { x } from '../protocol';\n",
      );
    });
  });

  describe('src/tracer/node/ imports only Node built-ins, sucrase and src/trace/protocol', () => {
    const because = 'src/tracer/node/ imports only Node built-ins, sucrase and src/trace/protocol';
    it('breaks: vscode, the host, the core, the runner, the engine, another package', async () => {
      for (const code of [
        "import * as vscode from 'vscode';\n",
        "import { readConfig } from '../../host/config';\n",
        "import { analyzeText } from '../../core';\n",
        "import { runTrace } from '../../trace/runner';\n",
        "import { Value } from '../../../engine';\n",
        "import * as babel from '@babel/core';\n",
      ]) {
        await breaks('src/tracer/node/probe.ts', code, because);
      }
      await breaks('src/tracer/node/sub/probe.ts', "import * as vscode from 'vscode';\n", because);
    });
    it('keeps: Node built-ins, sucrase, the protocol and its own modules', async () => {
      await keeps(
        'src/tracer/node/probe.ts',
        [
          "import * as fs from 'fs';",
          "import * as inspector from 'node:inspector';",
          "import { transform } from 'sucrase';",
          "import type { TraceRequest } from '../../trace/protocol';",
          "import { Recorder } from './recorder';",
          '',
        ].join('\n'),
      );
    });
  });

  describe('src/webview/ imports neither vscode, nor the host, nor the core at run time', () => {
    it('breaks: vscode, the host, a run-time import of the core, a Node built-in', async () => {
      await breaks('src/webview/probe.ts', "import * as vscode from 'vscode';\n", '`vscode` only in src/host/');
      await breaks('src/webview/probe.ts', "import { graphHtml } from '../host/panel/graphHtml';\n", 'not the host');
      await breaks('src/webview/probe.ts', "import { formatNumber } from '../core/format';\n", 'for types only');
      await breaks('src/webview/probe.ts', "import { analyze, type Lens } from '../core';\n", 'for types only');
      await breaks('src/webview/probe.ts', "import * as path from 'path';\n", 'no Node built-ins');
    });
    it('keeps: type-only imports of the core, the graph model, shared, the Graphviz package', async () => {
      await keeps(
        'src/webview/probe.ts',
        [
          "import type { Lens } from '../core/types';",
          "import { toDot } from '../graph/dot';",
          "import { MessageType } from '../shared/protocol';",
          "import { Graphviz } from '@hpcc-js/wasm-graphviz';",
          "import { panZoom } from './panZoom';",
          '',
        ].join('\n'),
      );
    });
  });

  describe('only src/host/, src/extension.ts and the tests import vscode', () => {
    it('breaks: the CLI', async () => {
      await breaks('src/cli.ts', "import * as vscode from 'vscode';\n", '`vscode` only in src/host/');
    });
    it('keeps: the host, activate(), the extension-host and UI tests', async () => {
      for (const file of [
        'src/host/probe.ts',
        'src/host/panel/probe.ts',
        'src/extension.ts',
        'test/suite/probe.test.ts',
        'test/e2e/probe.ts',
      ]) {
        await keeps(file, "import * as vscode from 'vscode';\n");
      }
    });
  });
});
