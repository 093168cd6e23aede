// The request's units and sites come from the core's own scan: the same statements, forms and
// spans as the static lenses, offsets into each unit, and a notebook's magics blanked line by line.
import * as assert from 'assert';
import { analyzeCells, analyzeText } from '../../../src/core';
import { blankMagics } from '../../../src/trace/magics';
import { prepare } from '../../../src/trace/sites';
import type { TraceRun } from '../../../src/trace/protocol';

const base: Omit<TraceRun, 'language'> = { file: '/w/f', cwd: '/w', tracerDir: '/t' };

describe('trace: sites and units', () => {
  it('Python: every form, offsets into the unit, the static lenses\u2019 ranges', () => {
    const text = [
      'a = Value(2.0)',
      'b = a * 3  # @grad',
      'b += a  # @grad',
      'def f(x):',
      '    return x * x  # @grad',
      '# @grad',
      'print(b)',
      '',
    ].join('\n');
    const p = prepare({ ...base, language: 'python', text });
    assert.deepStrictEqual(
      p.sites.map((s) => [
        s.request.form,
        s.request.target,
        s.request.line,
        text.slice(s.request.exprStart, s.request.exprEnd),
      ]),
      [
        ['assign', 'b', 1, 'a * 3'],
        ['assign', 'b', 2, 'a'],
        ['return', '', 4, 'x * x'],
        ['expression', '', 6, 'print(b)'],
      ],
    );
    assert.strictEqual(text.slice(p.sites[0].request.start, p.sites[0].request.end), 'b = a * 3');
    const statics = analyzeText(text, { comments: 'hash' });
    assert.deepStrictEqual(
      p.sites.map((s) => [s.lens.statementRange, s.lens.targetRange, s.lens.tagRange, s.lens.target]),
      statics.map((l) => [l.statementRange, l.targetRange, l.tagRange, l.target]),
    );
    assert.deepStrictEqual(p.units, [{ name: '/w/f', source: text }]);
  });

  it('TypeScript: // annotations, a statement over several lines', () => {
    const text = ['const a = v(2);', 'const loss = a', '  .mul(a)', '  .tanh(); // @grad', ''].join('\n');
    const p = prepare({ ...base, language: 'typescript', text });
    assert.strictEqual(p.language, 'node');
    assert.deepStrictEqual(
      p.sites.map((s) => [s.request.target, s.request.line, s.request.endLine]),
      [['loss', 1, 3]],
    );
  });

  it('a notebook: cells as units, sites in their cell, CRLF cells, ranges as analyzeCells gives them', () => {
    const cells = ['%matplotlib inline\r\nx = Value(2.0)\r\ny = x * x  # @grad', '!ls\ny2 = y * 2  # @grad\n'];
    const p = prepare({ ...base, language: 'python', cells });
    assert.deepStrictEqual(
      p.units.map((u) => u.name),
      ['<cell 1>', '<cell 2>'],
    );
    assert.deepStrictEqual(
      p.sites.map((s) => [
        s.cell,
        s.request.unit,
        s.request.line,
        p.units[s.request.unit].source.slice(s.request.start, s.request.end),
      ]),
      [
        [0, 0, 2, 'y = x * x'],
        [1, 1, 1, 'y2 = y * 2'],
      ],
    );
    assert.deepStrictEqual(p.magics, [
      { cell: 0, lines: [0] },
      { cell: 1, lines: [0] },
    ]);
    const statics = analyzeCells(cells, { comments: 'hash' }).flat();
    assert.deepStrictEqual(
      p.sites.map((s) => s.lens.statementRange),
      statics.map((l) => l.statementRange),
    );
  });

  it('JavaScript notebooks keep their cells as they are (no IPython magics there)', () => {
    const p = prepare({ ...base, language: 'javascript', cells: ['%x = 1'] });
    assert.strictEqual(p.units[0].source, '%x = 1');
    assert.deepStrictEqual(p.magics, []);
  });
});

describe('trace: IPython magics blanked', () => {
  it('line magics, shell escapes, assigned ones, help; every line kept', () => {
    const source = [
      '%matplotlib inline',
      'import math',
      '!pip install x',
      'files = !ls',
      'math.exp?',
      '  %time f()',
      'x = 5 % 3',
    ].join('\n');
    const b = blankMagics(source);
    assert.deepStrictEqual(b.lines, [0, 2, 3, 4, 5]);
    assert.deepStrictEqual(b.source.split('\n'), ['', 'import math', '', '', '', '  pass', 'x = 5 % 3']);
  });

  it('a cell magic: the whole cell, unless its body is Python (%%time)', () => {
    assert.deepStrictEqual(blankMagics('%%bash\necho hi\r\nls').source, '\n\r\n');
    const timed = blankMagics('%%time\nloss = f()  # @grad');
    assert.deepStrictEqual(timed.lines, [0]);
    assert.strictEqual(timed.source, '\nloss = f()  # @grad');
  });

  it('leaves plain Python alone', () => {
    const source = 'a = b % c\nprint("%d" % 3)\nif x != y:\n    pass\n';
    assert.deepStrictEqual(blankMagics(source), { source, lines: [] });
  });
});
