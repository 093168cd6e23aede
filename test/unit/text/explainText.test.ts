// The hover's explanation lines (issue 11, item 5): the formula with its numbers, each use and the
// sum for a name used more than once, the why-zero sentence, and long lines broken before `=`.
import * as assert from 'assert';
import { analyzeText, type Lens } from '../../../src/core';
import { explanationLines } from '../../../src/text/explainText';
import { variableHover } from '../../../src/text/hoverMarkdown';

function lensOf(text: string): Lens {
  return analyzeText(text, { comments: 'hash' })[0];
}

function linesFor(lens: Lens, name: string, precision = 4): string[] {
  return explanationLines(
    lens,
    lens.variables.find((v) => v.name === name)!,
    precision,
  );
}

describe('explanation lines for the hover', () => {
  it('a name used twice: each use and the sum', () => {
    assert.deepStrictEqual(linesFor(lensOf('a = 3.0\nb = a + a  # @grad\n'), 'a'), [
      '∂b/∂a = 1 + 1 = 1.0000 (first a) + 1.0000 (second a) = 2.0000',
    ]);
  });

  it('the precision setting applies to the numbers', () => {
    assert.deepStrictEqual(linesFor(lensOf('x = 3.0\ny = x * x  # @grad\n'), 'x', 2), [
      '∂y/∂x = x + x = 3.00 (first x) + 3.00 (second x) = 6.00',
    ]);
  });

  it('why a gradient is 0, on its own line', () => {
    const lines = linesFor(lensOf('x = 2.0\nw = -0.25\nn = x * w\no = n.relu()  # @grad\n'), 'w');
    assert.strictEqual(
      lines[lines.length - 1],
      'why: ∂o/∂w is 0: relu(n) gets n = −0.5000 ≤ 0, so it passes no gradient',
    );
  });

  it('a long line is broken before each =, aligned', () => {
    const lens = lensOf(
      'x = 0.5\nyy = 1.5\nzz = 2.5\no = (x * yy * zz).tanh() * (x * zz).tanh() * (x + yy).tanh()  # @grad\n',
    );
    const lines = linesFor(lens, 'x');
    assert.ok(lines.length > 1, lines.join('\n'));
    assert.ok(
      lines.slice(1).every((line) => /^ {6}= /.test(line)),
      lines.join('\n'),
    );
  });

  it('the variable hover holds them in its code block', () => {
    const lens = lensOf('a = 3.0\nb = a + a  # @grad\n');
    const text = variableHover(lens, lens.variables[0], 4);
    assert.ok(text.includes('∂b/∂a = 1 + 1 = 1.0000 (first a) + 1.0000 (second a) = 2.0000'), text);
  });
});

describe('CodeLens title width', () => {
  it('a lens of many long names ends in "+N more" within the width, the gradcheck kept', async () => {
    const { valuesTitle, MAX_TITLE_WIDTH } = await import('../../../src/text/lensTitle');
    const names = Array.from({ length: 30 }, (_, k) => `a_rather_long_parameter_name_${k}`);
    const text = names.map((name, k) => `${name} = ${k + 1}.0`).join('\n') + `\no = ${names.join(' + ')}  # @grad\n`;
    const title = valuesTitle(lensOf(text), 4, 1000);
    assert.ok(title.length <= MAX_TITLE_WIDTH, `${title.length}: ${title}`);
    assert.match(title, / · \+\d+ more · ✓ gradcheck$/);
    assert.ok(title.includes('∂o/∂(a_rather_long_parameter…) = 1.0000'), title);
  });

  it('a short lens is unchanged', async () => {
    const { valuesTitle } = await import('../../../src/text/lensTitle');
    assert.strictEqual(
      valuesTitle(lensOf('a = 2.0\nb = a * a  # @grad\n'), 4, 8),
      'b = 4.0000 · ∂b/∂a = 4.0000 · ✓ gradcheck',
    );
  });
});
