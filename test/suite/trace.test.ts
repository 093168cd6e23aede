// Trace mode in the real editor: "Gradient Lens: Trace Gradients" runs a Python fixture with
// python3, and the CodeLens, the hover and the Problems view show the traced numbers; an edit
// makes them stale; a site the run never reached keeps its static result; an exception becomes a
// problem at the raising line; a file outside the local file system is refused with the reason.
// The fixtures (test/fixtures/trace/python/) are copied into the test workspace, where the
// programs run with the workspace folder as their working directory.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TraceReport } from '../../src/host/trace/traceSession';
import {
  activate,
  closeWithoutSaving,
  codeLenses,
  eventually,
  gradientDiagnostics,
  hoverText,
  lineOf,
  rangeOf,
  withSetting,
} from './extensionHelpers';
import type { GraphPanelSnapshot } from '../../src/host/panel/graphPanelTestSupport';
import type { ToWebviewMessage } from '../../src/shared/protocol';

const REPO = path.resolve(__dirname, '..', '..', '..');

/**
 * A fixture of test/fixtures/trace/<language>/, copied with its folder into the test workspace
 * (a fresh copy each run) as trace-<language>/, where it runs.
 */
function traceFixture(name: string, language: 'python' | 'ts' = 'python'): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is not open');
  const target = path.join(folder.uri.fsPath, `trace-${language}`);
  if (!fs.existsSync(target))
    fs.cpSync(path.join(REPO, 'test', 'fixtures', 'trace', language), target, { recursive: true });
  return vscode.Uri.file(path.join(target, name));
}

async function openTraceFixture(name: string, language: 'python' | 'ts' = 'python'): Promise<vscode.TextEditor> {
  await activate();
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(traceFixture(name, language)));
}

async function trace(): Promise<TraceReport> {
  return vscode.commands.executeCommand<TraceReport>('gradientLens.traceGradients');
}

/** The titles of the CodeLenses on `line`, once one of them matches `pattern`. */
async function titlesMatching(uri: vscode.Uri, line: number, pattern: RegExp): Promise<string[]> {
  let seen: string[] = [];
  try {
    return await eventually(
      async () => {
        seen = (await codeLenses(uri))
          .filter((lens) => lens.range.start.line === line)
          .map((lens) => lens.command?.title ?? '');
        return seen.some((title) => pattern.test(title)) ? seen : undefined;
      },
      `a lens matching ${pattern} on line ${line + 1}`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; titles there: ${JSON.stringify(seen)}`);
  }
}

describe('Trace mode', function () {
  // Each test starts python3; on a busy two-core machine a run takes a few seconds.
  this.timeout(90_000);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('traces a training loop: the lenses show the values read from the run', async () => {
    const editor = await openTraceFixture('train_mlp.py');
    const document = editor.document;
    const report = await trace();
    assert.strictEqual(report.status, 'traced', JSON.stringify(report));
    assert.ok(report.reached && report.reached >= 2, JSON.stringify(report));
    assert.match(report.interpreter ?? '', /^Python 3\./);
    const lossLine = lineOf(document, 'loss = sum((yout - ygt) ** 2');
    // The annotation is on its own line above `loss = …`: the lens is on the statement's line.
    const titles = await titlesMatching(document.uri, lossLine, /traced \d+ s ago · run 20 of 20/);
    assert.ok(
      titles.some((title) => /^loss = \d+\.\d{4}/.test(title)),
      JSON.stringify(titles),
    );
    // The hover over the target plots the loss over the 20 runs.
    const hover = await hoverText(document.uri, rangeOf(document, 'loss = sum(', 'loss').start.translate(0, 1));
    assert.match(hover, /!\[value over 20 runs\]\(data:image\/svg\+xml;base64,/);
    assert.match(hover, /run 20 of 20/);
    const out = await titlesMatching(document.uri, lineOf(document, 'out = act.tanh()  # @grad'), /traced/);
    assert.ok(
      out.some((title) => /^out = /.test(title)),
      JSON.stringify(out),
    );
  });

  it('marks traced lenses stale after an edit, until the next trace', async () => {
    const editor = await openTraceFixture('train_mlp.py');
    const document = editor.document;
    assert.strictEqual((await trace()).status, 'traced');
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# an edit\n'));
    try {
      const lossLine = lineOf(document, 'loss = sum((yout - ygt) ** 2');
      const titles = await titlesMatching(document.uri, lossLine, /stale — re-run Trace Gradients/);
      assert.ok(
        titles.some((title) => /^loss = \d+\.\d{4}/.test(title)),
        JSON.stringify(titles),
      );
      assert.strictEqual((await trace()).status, 'traced', 'the edited buffer (unsaved) is traced again');
      await titlesMatching(document.uri, lossLine, /traced \d+ s ago · run 20 of 20/);
    } finally {
      await closeWithoutSaving();
    }
  });

  it('keeps the static result of a site the run never reached, marked static', async () => {
    const editor = await openTraceFixture('never_reached.py');
    const document = editor.document;
    const report = await trace();
    assert.strictEqual(report.status, 'traced', JSON.stringify(report));
    // `c = a * b` sits under `if a.data > 100`: not reached, but the static analysis knows it.
    const branch = await titlesMatching(document.uri, lineOf(document, 'c = a * b  # @grad'), /not reached/);
    assert.ok(
      branch.some((title) => /^c = −2\.0000 .*static — not reached by the run$/.test(title)),
      JSON.stringify(branch),
    );
    // `return a * b + a` in a function nothing calls: no static value either.
    const unused = await titlesMatching(document.uri, lineOf(document, 'return a * b + a  # @grad'), /not reached/);
    assert.ok(
      unused.some((title) => /not reached by the run$/.test(title)),
      JSON.stringify(unused),
    );
    // `d = a + b` ran.
    await titlesMatching(
      document.uri,
      lineOf(document, 'd = a + b  # @grad'),
      /^d = 1\.0000 .*traced \d+ s ago · run 1 of 1/,
    );
  });

  it('shows the exception that ended the program as a problem at the raising line', async () => {
    const editor = await openTraceFixture('raises_midway.py');
    const document = editor.document;
    const report = await trace();
    assert.strictEqual(report.status, 'traced', JSON.stringify(report));
    assert.match(report.error ?? '', /ZeroDivisionError/);
    const raising = lineOf(document, 'scale = 1.0 / (3 - step)');
    const problem = await eventually(
      () =>
        gradientDiagnostics(document.uri).find(
          (diagnostic) => diagnostic.range.start.line === raising && /ZeroDivisionError/.test(diagnostic.message),
        ),
      'the ZeroDivisionError at its line',
    );
    assert.strictEqual(problem.severity, vscode.DiagnosticSeverity.Error);
    // The site ran four times before the exception: steps 0 to 3.
    await titlesMatching(document.uri, lineOf(document, 'y = (w * x).tanh()  # @grad'), /run 4 of 4/);
  });

  it("reports the user's engine disagreeing with the true gradients in the Problems view, with the likely cause", async () => {
    const editor = await openTraceFixture('assign_bug.py');
    const document = editor.document;
    assert.strictEqual((await trace()).status, 'traced');
    const site = lineOf(document, 'd = c + a * b  # @grad');
    const warning = await eventually(
      () =>
        gradientDiagnostics(document.uri).find(
          (diagnostic) => diagnostic.range.start.line === site && diagnostic.code === 'engine-check',
        ),
      'the engine-check warning at the site',
    );
    assert.strictEqual(warning.severity, vscode.DiagnosticSeverity.Warning);
    // d = a·a + a·b at a = 3, b = −2: ∂d/∂a is 2a + b = 4; with `=` instead of `+=` the engine says 3.
    assert.match(warning.message, /yours 3\.0+, bundled engine 4\.0+/);
    assert.match(warning.message, /likely cause: .*`\+=`/);
    await titlesMatching(document.uri, site, /⚠ engine check$/);
  });

  it("traces a notebook's code cells in order, through the cells, skipping the shell escape", async () => {
    await activate();
    const notebook = await vscode.workspace.openNotebookDocument(traceFixture('lecture.ipynb'));
    const editor = await vscode.window.showNotebookDocument(notebook);
    const index = notebook
      .getCells()
      .findIndex((each) => each.document.getText().includes('loss = sum((yout - ygt)**2'));
    assert.ok(index >= 0, 'the training cell');
    const cell = notebook.cellAt(index).document;
    // The workbench answers for a cell's lenses once the cell is rendered: bring it into view.
    editor.revealRange(new vscode.NotebookRange(index, index + 1), vscode.NotebookEditorRevealType.InCenter);
    const report = await vscode.commands.executeCommand<TraceReport>('gradientLens.traceGradients', cell.uri);
    assert.strictEqual(report.status, 'traced', JSON.stringify(report));
    const line = lineOf(cell, 'loss = sum((yout - ygt)**2');
    const titles = await titlesMatching(cell.uri, line, /traced \d+ s ago · run 20 of 20/);
    assert.ok(
      titles.some((title) => /^loss = \d+\.\d{4}/.test(title)),
      JSON.stringify(titles),
    );
    const hover = await hoverText(cell.uri, rangeOf(cell, 'loss = sum(', 'loss').start.translate(0, 1));
    assert.match(hover, /!\[value over 20 runs\]/);
    assert.match(hover, /magics and shell escapes were skipped on line 1 of this cell/);
  });

  it('traces a TypeScript training loop with node', async () => {
    const editor = await openTraceFixture('train.ts', 'ts');
    const document = editor.document;
    const report = await trace();
    assert.strictEqual(report.status, 'traced', JSON.stringify(report));
    assert.match(report.interpreter ?? '', /^Node v/);
    await titlesMatching(
      document.uri,
      lineOf(document, 'const loss = total(preds.map('),
      /^loss = \d+\.\d{4} .*traced \d+ s ago · run 25 of 25/,
    );
  });

  it('puts a TypeScript exception at the line that threw, through the transpile', async () => {
    const editor = await openTraceFixture('throws.ts', 'ts');
    const document = editor.document;
    const report = await trace();
    assert.strictEqual(report.status, 'traced', JSON.stringify(report));
    assert.match(report.error ?? '', /RangeError/);
    const line = lineOf(document, 'if (epoch > 2) throw new RangeError(');
    await eventually(
      () =>
        gradientDiagnostics(document.uri).find(
          (diagnostic) => diagnostic.range.start.line === line && /RangeError/.test(diagnostic.message),
        ),
      'the RangeError at the line that threw',
    );
    await titlesMatching(document.uri, lineOf(document, 'const never = w.times(2); // @grad'), /not reached/);
  });

  it('draws a traced lens in the graph panel, with the gradients from the run', async () => {
    const editor = await openTraceFixture('never_reached.py');
    const document = editor.document;
    assert.strictEqual((await trace()).status, 'traced');
    const line = lineOf(document, 'd = a + b  # @grad');
    await titlesMatching(document.uri, line, /traced/);
    const lens = await vscode.commands.executeCommand<{ value: number; trace?: unknown }>(
      'gradientLens.showGraph',
      document.uri,
      line,
    );
    assert.ok(lens?.trace, 'Show Graph took the traced lens');
    const rendered = await eventually(async () => {
      const state = await vscode.commands.executeCommand<GraphPanelSnapshot | undefined>(
        'gradientLens.graphPanel.test',
        'snapshot',
      );
      const shown = [...(state?.posted ?? [])]
        .reverse()
        .find((m: ToWebviewMessage) => m.type === 'show' && m.target === 'd' && m.line === line);
      return shown && state && state.rendered.length > 0 ? shown : undefined;
    }, 'the traced graph drawn in the panel');
    assert.ok(rendered.type === 'show');
    const labels = rendered.view.nodes.map((node) => node.label);
    assert.ok(labels.includes('a') && labels.includes('b'), JSON.stringify(labels));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('names a missing interpreter, and the setting that picks another', async () => {
    await openTraceFixture('never_reached.py');
    const report = await withSetting('trace.python', '/nonexistent/python3.99', () => trace());
    assert.strictEqual(report.status, 'failed', JSON.stringify(report));
    assert.strictEqual(report.failure, 'interpreter-missing');
    assert.match(report.reason ?? '', /nonexistent\/python3\.99/);
  });

  it('stops a program at gradientLens.trace.timeoutSeconds and shows what ran until then', async () => {
    const editor = await openTraceFixture('runs_forever.py');
    const report = await withSetting('trace.timeoutSeconds', 2, () => trace());
    assert.strictEqual(report.status, 'timeout', JSON.stringify(report));
    assert.ok((report.durationMs ?? 0) < 15_000, `stopped after ${report.durationMs} ms`);
    await titlesMatching(
      editor.document.uri,
      lineOf(editor.document, 'loss = (w * w + w).tanh()  # @grad'),
      /run [\d,]+ of/,
    );
  });

  it('says so when trace mode is off, and traces on save in onSave mode', async () => {
    const editor = await openTraceFixture('never_reached.py');
    const off = await withSetting('trace.mode', 'off', () => trace());
    assert.strictEqual(off.status, 'unavailable');
    assert.match(off.reason ?? '', /Trace mode is off/);
    const document = editor.document;
    const line = lineOf(document, 'd = a + b  # @grad');
    await withSetting('trace.mode', 'onSave', async () => {
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# saved\n'));
      await document.save();
      await titlesMatching(document.uri, line + 1, /^d = 1\.0000 .*traced \d+ s ago/);
    });
  });

  it('refuses a file that is not on the local file system, and says why', async () => {
    await activate();
    const scheme = 'gradlens-test-virtual';
    const source = new TextEncoder().encode('a = 2.0\nb = a * 3.0  # @grad\n');
    const provider: vscode.FileSystemProvider = {
      onDidChangeFile: new vscode.EventEmitter<vscode.FileChangeEvent[]>().event,
      watch: () => new vscode.Disposable(() => undefined),
      stat: () => ({ type: vscode.FileType.File, ctime: 0, mtime: 0, size: source.length }),
      readDirectory: () => [],
      createDirectory: () => undefined,
      readFile: () => source,
      writeFile: () => undefined,
      delete: () => undefined,
      rename: () => undefined,
    };
    const registration = vscode.workspace.registerFileSystemProvider(scheme, provider, { isReadonly: true });
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme, path: '/virtual/b.py' }));
      await vscode.window.showTextDocument(document);
      const report = await trace();
      assert.strictEqual(report.status, 'unavailable');
      assert.match(report.reason ?? '', /not a file on this computer .*gradlens-test-virtual: URI/);
    } finally {
      registration.dispose();
    }
  });
});
