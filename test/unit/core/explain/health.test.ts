// Issue 11, items 3 and 4: each "why is this gradient 0 or tiny" reason, and each health note, with
// a fixture that triggers it and one that must not; each note's setting turns it off.
import * as assert from 'assert';
import { analyzeText, type AnalyzeOptions, type Lens, type Problem } from '../../../../src/core';

const PY: AnalyzeOptions = { comments: 'hash' };

function lensOf(text: string, options: AnalyzeOptions = PY): Lens {
  const lens = analyzeText(text, options)[0];
  assert.notStrictEqual(lens.value, null, JSON.stringify(lens.problems));
  return lens;
}

function why(lens: Lens, name: string): string | null {
  const v = lens.variables.find((each) => each.name === name);
  assert.ok(v?.explanation, `no explanation for ${name}`);
  return v.explanation.why;
}

function notes(lens: Lens, code: Problem['code']): Problem[] {
  return lens.problems.filter((p) => p.code === code);
}

describe('explain: why a gradient is 0 or tiny', () => {
  it('a ReLU whose input is at or below 0, with that input', () => {
    const lens = lensOf('x = 2.0\nw = -0.25\nn = x * w\no = n.relu()  # @grad\n');
    assert.strictEqual(why(lens, 'w'), '∂o/∂w is 0: relu(n) gets n = −0.5000 ≤ 0, so it passes no gradient');
    const alive = lensOf('x = 2.0\nw = 0.25\nn = x * w\no = n.relu()  # @grad\n');
    assert.strictEqual(why(alive, 'w'), null);
  });

  it('a multiplication by zero', () => {
    const lens = lensOf('x = 0.0\nw = 3.0\no = x * w + x  # @grad\n');
    assert.strictEqual(why(lens, 'w'), '∂o/∂w is 0: w is multiplied by x = 0 in x * w');
    assert.strictEqual(why(lensOf('x = 1.0\nw = 3.0\no = x * w + x  # @grad\n'), 'w'), null);
  });

  it('a saturated tanh, with its slope', () => {
    const lens = lensOf('x = 2.0\nw = 4.0\nb = 1.0\nt = (x * w).tanh() + b * 0.001  # @grad\n');
    assert.match(
      why(lens, 'w')!,
      /^∂t\/∂w is tiny \(9\.0e−7\): tanh\(x \* w\) is saturated at x \* w = 8\.0000: 1 − .*² = 4\.5e−7$/,
    );
    const alive = lensOf('x = 0.2\nw = 1.0\nb = 1.0\nt = (x * w).tanh() + b * 0.001  # @grad\n');
    assert.strictEqual(why(alive, 'w'), null);
  });

  it('no dependence at all', () => {
    const lens = lensOf('x = 2.0\ny = 3.0\no = x ** 0 * y  # @grad\n');
    assert.match(why(lens, 'x')!, /^∂o\/∂x is 0: .* does not depend on x at all/);
  });

  it('uses that cancel', () => {
    const lens = lensOf('a = 2.0\nb = 3.0\no = a * b - a * b + b  # @grad\n');
    assert.strictEqual(why(lens, 'a'), '∂o/∂a is 0: its uses cancel');
  });

  it('a zero further up is followed to its cause', () => {
    const lens = lensOf('x = 1.0\nw = -1.0\nn = x * w\nr = n.relu()\no = r * 2 + 1  # @grad\n');
    assert.strictEqual(why(lens, 'x'), '∂o/∂x is 0: relu(n) gets n = −1.0000 ≤ 0, so it passes no gradient');
  });

  it('inside a composite, the composite is named', () => {
    const lens = lensOf('x = 0.0\nw = 2.0\no = abs(x * w) + w  # @grad\n', { ...PY, gradcheck: { enabled: false } });
    assert.match(why(lens, 'x')!, /inside abs\(x \* w\)/);
  });
});

describe('explain: health notes', () => {
  it('dead ReLU: information, at the relu, in the hover’s words; not for a live one', () => {
    const lens = lensOf('x = 2.0\nw = -0.25\nn = x * w\no = n.relu()  # @grad\n');
    const [dead] = notes(lens, 'dead-relu');
    assert.strictEqual(dead.severity, 'info');
    assert.strictEqual(
      dead.message,
      'dead ReLU: relu(n) gets n = −0.5000 ≤ 0, so it passes no gradient to anything that feeds it',
    );
    assert.deepStrictEqual(dead.range.start, { line: 3, character: 6 });
    assert.strictEqual(notes(lensOf('x = 2.0\nw = 0.25\nn = x * w\no = n.relu()  # @grad\n'), 'dead-relu').length, 0);
  });

  it('two lenses through the same dead ReLU report the same note (the Problems view shows it once)', () => {
    const lenses = analyzeText('x = 2.0\nw = -0.25\nr = (x * w).relu()\no = r * 2  # @grad\np = r + x  # @grad\n', PY);
    const messages = lenses.map((lens) => notes(lens, 'dead-relu').map((p) => p.message));
    assert.strictEqual(messages[0].length, 1);
    assert.deepStrictEqual(messages[0], messages[1]);
  });

  it('no dead ReLU for the relus inside abs or max, which are working as meant', () => {
    const lens = lensOf('x = -2.0\ny = 1.0\no = abs(x) + max(x, y)  # @grad\n');
    assert.strictEqual(notes(lens, 'dead-relu').length, 0);
  });

  it('saturated tanh and exp; not for an ordinary one', () => {
    const tanh = lensOf('x = 3.0\no = (x * 2).tanh()  # @grad\n');
    assert.match(
      notes(tanh, 'saturated')[0].message,
      /^saturated tanh: tanh\(x \* 2\) is saturated at x \* 2 = 6\.0000: 1 − o² = 2\.5e−5/,
    );
    const exp = lensOf('x = -3.0\no = (x * 5).exp()  # @grad\n');
    assert.match(notes(exp, 'saturated')[0].message, /^saturated exp: exp\(x \* 5\) = 3\.1e−7 at x \* 5 = −15\.0000/);
    assert.strictEqual(notes(lensOf('x = 0.3\no = (x * 2).tanh() + x.exp()  # @grad\n'), 'saturated').length, 0);
  });

  it('vanishing gradient: every path multiplies below 1e-6; not when one path does not', () => {
    const lens = lensOf('x = 5.0\nh1 = (x * 2).tanh()\nh2 = (h1 * 9).tanh()\no = h2 * 3  # @grad\n');
    const [note] = notes(lens, 'vanishing-gradient');
    assert.strictEqual(note.severity, 'warning');
    assert.match(
      note.message,
      /^vanishing gradient: ∂o\/∂x = 2\.7e−14; along its largest path .*\(1 − h1² = 8\.2e−9\)/,
    );
    const fine = lensOf('x = 5.0\nh1 = (x * 2).tanh()\nh2 = (h1 * 9).tanh()\no = h2 * 3 + x  # @grad\n');
    assert.strictEqual(notes(fine, 'vanishing-gradient').length, 0);
  });

  it('exploding gradient: a path multiplies above 1e6; not below', () => {
    const lens = lensOf('u = 2.0\no = (u * 20).exp()  # @grad\n');
    assert.match(notes(lens, 'exploding-gradient')[0].message, /^exploding gradient: ∂o\/∂u = 4\.7e18/);
    assert.strictEqual(notes(lensOf('u = 0.2\no = (u * 20).exp()  # @grad\n'), 'exploding-gradient').length, 0);
  });

  it('gradcheck at a kink: the relu whose input is 0; none away from the kink or without a gradcheck', () => {
    const lens = lensOf('z = 0.0\nu = 2.0\nk = relu(z * u)  # @grad\n');
    const [kink] = notes(lens, 'gradcheck-kink');
    assert.match(kink.message, /^gradcheck at a kink: relu\(z \* u\) gets z \* u = 0\.0000, where relu’s slope jumps/);
    assert.strictEqual(notes(lens, 'dead-relu').length, 0, 'the kink note replaces the dead-ReLU one');
    assert.strictEqual(notes(lensOf('z = 0.5\nu = 2.0\nk = relu(z * u)  # @grad\n'), 'gradcheck-kink').length, 0);
    const unchecked = lensOf('z = 0.0\nu = 2.0\nk = relu(z * u)  # @grad\n', { ...PY, gradcheck: { enabled: false } });
    assert.strictEqual(notes(unchecked, 'gradcheck-kink').length, 0);
  });

  it('each note has a setting that turns it off', () => {
    const text = [
      'x = 5.0',
      'w = -1.0',
      'z = 0.0',
      'd = (x * w).relu()',
      'v = 5.0',
      'h1 = (v * 2).tanh()',
      'h2 = (h1 * 9).tanh()',
      'e = (x * 4).exp()',
      'k = relu(z * x)',
      'o = d + h2 * 3 + e + k  # @grad',
      '',
    ].join('\n');
    const codes = (options: AnalyzeOptions) => new Set(lensOf(text, options).problems.map((p) => p.code));
    const all = codes(PY);
    for (const code of [
      'dead-relu',
      'saturated',
      'vanishing-gradient',
      'exploding-gradient',
      'gradcheck-kink',
    ] as const)
      assert.ok(all.has(code), `${code} in ${[...all].join(', ')}`);
    const off = codes({
      ...PY,
      health: { deadRelu: false, saturation: false, vanishingExploding: false, gradcheckKink: false },
    });
    for (const code of [
      'dead-relu',
      'saturated',
      'vanishing-gradient',
      'exploding-gradient',
      'gradcheck-kink',
    ] as const)
      assert.ok(!off.has(code), `${code} is still reported`);
    assert.ok(!codes({ ...PY, health: { deadRelu: false } }).has('dead-relu'));
    assert.ok(codes({ ...PY, health: { deadRelu: false } }).has('saturated'));
  });

  it('notes come after errors and warnings, and never stop a lens', () => {
    const lens = lensOf('x = 2.0\nw = -0.25\nn = x * w\no = n.relu()  # @grad\n');
    assert.notStrictEqual(lens.value, null);
    assert.ok(lens.problems.every((p) => p.severity !== 'error'));
  });
});
