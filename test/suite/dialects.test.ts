// The dialects of issue 10 in the real editor: a port's factory and aliases inside a test
// framework's callback, a helper defined in the file (and an annotation inside it), a `.data`
// update, and a value no static tool can know, each in the CodeLens, the hover and Problems.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  eventually,
  gradientDiagnostics,
  hoverText,
  lineOf,
  middleOf,
  openFixture,
  rangeOf,
  waitForTitle,
} from './extensionHelpers';

describe('Dialects in the editor', () => {
  it("a port's factory with an options label, aliases and a helper, inside test(() => { … })", async () => {
    const { document } = await openFixture('dialect_port.ts');
    await waitForTitle(
      document.uri,
      lineOf(document, 'const y = square(x.times(w).plus(1)); // @grad'),
      'y = 0.2500 · ∂y/∂x = −0.2500 · ∂y/∂w = 2.0000 · ✓ gradcheck',
    );
  });

  it('a call into a helper, the helper’s own lens from its last call, and a .data update', async () => {
    const { document } = await openFixture('dialect_helpers.py');
    await waitForTitle(
      document.uri,
      lineOf(document, 'o = neuron(x, w, b)  # @grad'),
      'o = −0.2449 · ∂o/∂x = −0.4700 · ∂o/∂w = 1.8800 · ∂o/∂b = 0.9400 · ✓ gradcheck',
    );
    // After `w.data += 0.25`, the same call sees the new number.
    await waitForTitle(
      document.uri,
      lineOf(document, 'o2 = neuron(x, w, b)  # @grad'),
      'o2 = 0.2449 · ∂o2/∂x = −0.2350 · ∂o2/∂b = 0.9400 · ∂o2/∂w = 1.8800 · ✓ gradcheck',
    );
    const inside = lineOf(document, 'act = x * w + b  # @grad');
    await waitForTitle(
      document.uri,
      inside,
      'act = 0.2500 · ∂act/∂x = −0.2500 · ∂act/∂w = 2.0000 · ∂act/∂b = 1.0000 · ✓ gradcheck',
    );
    const call = lineOf(document, 'o2 = neuron(x, w, b)  # @grad') + 1;
    const hover = await hoverText(document.uri, middleOf(rangeOf(document, 'act = x * w + b  # @grad', 'w')));
    assert.match(hover, new RegExp(`\`w\` · leaf · from the call on line ${call}`));
  });

  it('a value no static tool can know: a Problem that says why, and a quick fix to trace it', async () => {
    const { document } = await openFixture('dialect_helpers.py');
    const construct = rangeOf(document, 'noise = Value(random.uniform(-1, 1))', 'random.uniform');
    const diagnostic = await eventually(
      async () =>
        gradientDiagnostics(document.uri).find(
          (d) => d.code === 'unknowable' && d.range.start.line === construct.start.line,
        ),
      'the not-statically-knowable problem',
    );
    assert.match(
      diagnostic.message,
      /^`noise` comes from `random\.uniform\(…\)`, a random number: not statically knowable/,
    );
    assert.strictEqual(diagnostic.range.start.character, construct.start.character);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        diagnostic.range,
      )) ?? [];
    const trace = actions.find((a) => a.title === 'Trace Gradients: run the program and read it');
    assert.ok(trace, JSON.stringify(actions.map((a) => a.title)));
    assert.strictEqual(trace.command?.command, 'gradientLens.traceGradients');
  });
});
