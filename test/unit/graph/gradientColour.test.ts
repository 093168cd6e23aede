import * as assert from 'assert';
import {
  decadeLabel,
  gradientScale,
  inkOn,
  legendTicks,
  paletteRgb,
  scalePosition,
} from '../../../src/graph/gradientColour';

/** WCAG relative luminance of an sRGB colour. */
function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

describe('colour by |grad| (log scale, viridis)', () => {
  it('spans whole decades from the smallest to the largest non-zero |grad|, including 1', () => {
    assert.deepStrictEqual(gradientScale([1, -0.003, 250, 0]), { lo: -3, hi: 3 });
    assert.deepStrictEqual(gradientScale([1, 0.5]), { lo: -1, hi: 0 });
    assert.deepStrictEqual(gradientScale([1]), { lo: 0, hi: 1 });
    assert.strictEqual(gradientScale([0, 0]), undefined);
  });

  it('places |grad| by its logarithm; a grad of 0 has no place', () => {
    const scale = { lo: -6, hi: 2 };
    assert.strictEqual(scalePosition(scale, 1e-6), 0);
    assert.strictEqual(scalePosition(scale, -100), 1);
    assert.strictEqual(scalePosition(scale, 1e-2), 0.5);
    assert.strictEqual(scalePosition(scale, 1e-9), 0, 'below the scale: its end');
    assert.strictEqual(scalePosition(scale, 0), null);
    // A vanishing and an exploding gradient end up at opposite ends, 1 in between.
    const vanishing = scalePosition(scale, 3e-6) as number;
    const one = scalePosition(scale, 1) as number;
    assert.ok(vanishing < 0.1 && one > 0.7);
  });

  it('grows lighter monotonically (readable in greyscale and with colour-vision deficiencies)', () => {
    let last = -1;
    for (let i = 0; i <= 100; i++) {
      const l = luminance(paletteRgb(i / 100));
      assert.ok(l > last, `luminance not increasing at ${i / 100}`);
      last = l;
    }
    assert.deepStrictEqual(paletteRgb(0), [68, 1, 84]);
    assert.deepStrictEqual(paletteRgb(1), [253, 231, 37]);
    assert.deepStrictEqual(paletteRgb(Number.NaN), [68, 1, 84]);
  });

  it('writes text in the ink that reads best on each fill (contrast at least 4.5:1)', () => {
    for (let i = 0; i <= 100; i++) {
      const rgb = paletteRgb(i / 100);
      const l = luminance(rgb);
      const ink = inkOn(rgb);
      const contrast = ink === 'dark' ? (l + 0.05) / 0.05 : 1.05 / (l + 0.05);
      assert.ok(contrast >= 4.5, `contrast ${contrast.toFixed(2)} at ${i / 100} with ${ink} ink`);
    }
    assert.strictEqual(inkOn(paletteRgb(0)), 'light');
    assert.strictEqual(inkOn(paletteRgb(1)), 'dark');
  });

  it('labels the legend by decade, thinned on a wide scale, both ends kept', () => {
    assert.deepStrictEqual(
      legendTicks({ lo: -2, hi: 1 }).map((t) => [t.at, t.label]),
      [
        [0, '1e\u22122'],
        [1 / 3, '1e\u22121'],
        [2 / 3, '1'],
        [1, '10'],
      ],
    );
    const wide = legendTicks({ lo: -12, hi: 6 });
    assert.ok(wide.length <= 7);
    assert.strictEqual(wide[0].label, '1e\u221212');
    assert.strictEqual(wide[wide.length - 1].label, decadeLabel(6));
  });
});
