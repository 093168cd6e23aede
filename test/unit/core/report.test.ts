// The CLI's reports as pure functions (src/core/report.ts): the text report, JSON and DOT never
// pass a terminal control character from the analysed file through to the terminal.
import * as assert from 'assert';
import { analyzeText } from '../../../src/core';
import { ANSI_PAINT, dotReport, jsonReport, jsonText, NO_PAINT, textReport, visible } from '../../../src/core/report';

// What a terminal may act on: C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

// A file that would set the title, clear the screen, write the clipboard (OSC 52), send an 8-bit
// CSI, and reorder what the reader sees, if its bytes reached the terminal as they are.
const HOSTILE = [
  'x = 2.0',
  '\x1b]0;PWNED\x07 + x  # @grad',
  'q\x1b[2J * x  # @grad',
  '\x1b]52;c;aGVsbG8=\x07 - x  # @grad',
  'x \u009b2J * 2  # @grad',
  'x\u202e * 2  # @grad',
  'x \x7f\u2066 + 1  # @grad',
  '',
].join('\n');

describe('core: report', () => {
  it('visible(): control characters, DEL, C1 and bidi controls become \\uXXXX; other text stays', () => {
    assert.strictEqual(visible('a\x1b[2Jb'), 'a\\u001b[2Jb');
    assert.strictEqual(visible('\x07\x7f\u009b\u202e\u2069'), '\\u0007\\u007f\\u009b\\u202e\\u2069');
    assert.strictEqual(visible('line\nbreak\r'), 'line\\u000abreak\\u000d');
    assert.strictEqual(visible('∂o/∂x1 = −1.5\té'), '∂o/∂x1 = −1.5\té');
  });

  it("the text report shows the file's control characters visibly, in targets, names and messages, with or without colour", () => {
    const lenses = analyzeText(HOSTILE, { comments: 'hash' });
    assert.ok(lenses.length >= 6);
    for (const paint of [NO_PAINT, ANSI_PAINT]) {
      const out = textReport('evil\x1b]0;x\x07.py', lenses, paint);
      const withoutOurColours = out.replace(/\x1b\[\d+m/g, '');
      assert.doesNotMatch(withoutOurColours.replace(/\n/g, ''), UNSAFE, JSON.stringify(out));
      assert.ok(out.includes('PWNED\\u0007'), out);
      assert.ok(out.includes('q\\u001b[2J'), out);
      assert.ok(out.includes('\\u001b]52'), out);
      assert.ok(out.includes('\\u202e'), out);
      assert.ok(out.includes('evil\\u001b]0;x\\u0007.py'), out);
    }
  });

  it('a problem message cannot add a line of its own to the text report', () => {
    const lens = analyzeText('y = x * 2  # @grad x=1\n', { comments: 'hash' })[0];
    const forged = {
      ...lens,
      problems: [
        {
          code: 'parse' as const,
          severity: 'error' as const,
          message: 'bad\r\n    gradcheck ok',
          range: lens.targetRange,
        },
      ],
    };
    const out = textReport('f.py', [forged]);
    assert.ok(out.includes('bad\\u000d\\u000a    gradcheck ok'), out);
  });

  it('JSON escapes the same characters (JSON.stringify leaves DEL, C1 and bidi raw) and still parses to the same text', () => {
    const lenses = analyzeText(HOSTILE, { comments: 'hash' });
    const report = jsonReport('evil\u009b.py', lenses);
    const text = jsonText(report);
    assert.doesNotMatch(text.replace(/\n/g, ''), UNSAFE);
    assert.deepStrictEqual(JSON.parse(text), JSON.parse(JSON.stringify(report)));
    assert.ok(text.includes('\\u009b'));
  });

  it('DOT shows them visibly too', () => {
    const lenses = analyzeText(HOSTILE, { comments: 'hash' });
    const dot = dotReport(lenses);
    assert.doesNotMatch(dot.replace(/\n/g, ''), UNSAFE, dot);
    assert.ok(dot.includes('\\\\u001b'), dot);
  });
});
