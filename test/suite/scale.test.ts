// A large file: 10,000 lines with 500 annotations gets all its lenses, hovers and live updates.
// (How fast is measured outside the tests; here only that it works at this size.)
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  closeWithoutSaving,
  codeLenses,
  eventually,
  hoverText,
  openFixture,
  openUntitled,
  waitForTitle,
} from './extensionHelpers';

const LINES = 10_000;
const ANNOTATIONS = 500;

/** Blocks of 20 lines: two leaves, an intermediate, an annotated output, and filler. */
function largeFile(): string {
  const lines: string[] = [];
  for (let block = 0; lines.length < LINES; block++) {
    lines.push(`x${block} = ${block % 7}.5`, `w${block} = -2.0`, `n${block} = x${block}*w${block} + 1.0`);
    lines.push(block < ANNOTATIONS ? `o${block} = n${block}.tanh()  # @grad` : `o${block} = 0.0`);
    for (let filler = 0; filler < 16; filler++) lines.push(`print("filler ${block}.${filler}")`);
  }
  return lines.slice(0, LINES).join('\n');
}

describe('Hostile input', () => {
  it('answers with errors, never an exception, and keeps serving other files', async () => {
    const nested = `${'('.repeat(10_000)}x${')'.repeat(10_000)}`;
    const junk = [
      'y = ' + nested + '  # @grad',
      'z = @@ ** ** )(  # @grad',
      'w = 1e999 * 2  # @grad x=',
      '# @grad',
      '`` # @grad',
    ].join('\n');
    const editor = await openUntitled(junk);
    try {
      const uri = editor.document.uri;
      const titles = (await codeLenses(uri)).map((lens) => lens.command?.title ?? '');
      assert.ok(titles.length > 0 && titles.every((title) => title.startsWith('✗ ')), JSON.stringify(titles));
      for (let line = 0; line < editor.document.lineCount; line++) await hoverText(uri, new vscode.Position(line, 2));
    } finally {
      await closeWithoutSaving();
    }
    const neuron = (await openFixture('neuron.py')).document.uri;
    await eventually(
      async () =>
        (await codeLenses(neuron)).some((lens) => lens.command?.title.startsWith('o = 0.7071')) ? true : undefined,
      'the neuron lens',
    );
  });
});

describe('A large file', () => {
  it('gets every lens of 500 annotations in 10,000 lines, and follows an edit', async () => {
    const editor = await openUntitled(largeFile());
    try {
      const uri = editor.document.uri;
      assert.strictEqual(editor.document.lineCount, LINES);
      const lenses = await eventually(
        async () => {
          const found = await codeLenses(uri);
          return found.length === 2 * ANNOTATIONS ? found : undefined;
        },
        `${2 * ANNOTATIONS} lenses`,
        30_000,
      );
      assert.strictEqual(lenses.filter((lens) => lens.command?.title === 'Show graph').length, ANNOTATIONS);
      const last = (ANNOTATIONS - 1) * 20 + 3;
      assert.ok((await hoverText(uri, new vscode.Position(last - 1, 0))).includes('∂o499/∂n499'));
      // w499 = -2.0 → -0.2: n = 2.5·(−0.2) + 1 = 0.5, o = tanh(0.5).
      await editor.edit((edit) => edit.replace(new vscode.Range(last - 2, 7, last - 2, 11), '-0.2'));
      await waitForTitle(
        uri,
        last,
        'o499 = 0.4621 · ∂o499/∂x499 = −0.1573 · ∂o499/∂w499 = 1.9661 · ∂o499/∂n499 = 0.7864 · ✓ gradcheck',
      );
    } finally {
      await closeWithoutSaving();
    }
  });
});
