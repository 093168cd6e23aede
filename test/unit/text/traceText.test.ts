// Trace mode's text: the CodeLens suffixes, the hover section and the plot of a site's history.
import * as assert from 'assert';
import { analyzeText, type Lens } from '../../../src/core';
import type { TracedLens, TraceInfo } from '../../../src/trace/protocol';
import { historyDataUri, historySvg } from '../../../src/text/historyPlot';
import {
  ago,
  lensValuesTitle,
  NOT_REACHED_STATIC_TEXT,
  STALE_TEXT,
  traceHover,
  traceSuffix,
} from '../../../src/text/traceText';

const NEURON = 'x1 = 2.0\nw1 = -3.0\nb = 6.8813735870195432\nn = x1*w1 + b\no = n.tanh()  # @grad\n';
const AT = 1_000_000;

function staticLens(): Lens {
  return analyzeText(NEURON, { comments: 'hash' })[0];
}

function traced(trace: Partial<TraceInfo> = {}): TracedLens {
  return {
    ...staticLens(),
    trace: {
      executions: 20,
      history: Array.from({ length: 20 }, (_, i) => 2 / (i + 1)),
      historyStride: 1,
      reached: true,
      at: AT,
      engineCheck: null,
      kind: 'value',
      note: null,
      ...trace,
    },
  };
}

describe('trace mode text', () => {
  it('marks a traced lens with its age and its run', () => {
    assert.strictEqual(traceSuffix(traced(), AT + 4_000), 'traced 4 s ago · run 20 of 20');
    assert.strictEqual(traceSuffix(staticLens(), AT), '', 'a static lens has no suffix');
    const title = lensValuesTitle(traced(), 4, 8, AT + 4_000);
    assert.match(title, /^o = 0\.7071 · .* · traced 4 s ago · run 20 of 20$/);
    assert.doesNotMatch(title, /gradcheck/, "a traced lens's check is the engine check, named in the suffix");
    assert.match(lensValuesTitle(staticLens(), 4, 8, AT), /✓ gradcheck$/);
  });

  it('says stale after an edit, and static for a site the run never reached', () => {
    assert.strictEqual(traceSuffix(traced({ stale: true }), AT), STALE_TEXT);
    assert.strictEqual(
      traceSuffix(traced({ reached: false, executions: 0, history: [] }), AT),
      NOT_REACHED_STATIC_TEXT,
    );
    const noValue = { ...traced({ reached: false, executions: 0 }), value: null };
    assert.strictEqual(traceSuffix(noValue, AT), 'not reached by the run');
  });

  it('gives ages in seconds, minutes and hours', () => {
    assert.strictEqual(ago(0, 59_400), '59 s ago');
    assert.strictEqual(ago(0, 125_000), '2 min ago');
    assert.strictEqual(ago(0, 2 * 3_600_000 + 5), '2 h ago');
    assert.strictEqual(ago(10, 0), '0 s ago', 'a clock that went back is not a negative age');
  });

  it('plots a history of more than one run as an SVG image in the hover', () => {
    const hover = traceHover(traced(), 4, AT + 1000);
    const image = /!\[value over 20 runs\]\((data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+)\)/.exec(hover);
    assert.ok(image, hover);
    const svg = Buffer.from(image[1].split(',')[1], 'base64').toString('ascii');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const points = /<polyline points="([^"]*)"/.exec(svg)?.[1].split(' ') ?? [];
    assert.strictEqual(points.length, 20, 'one point per run');
    assert.ok(
      points.every((point) => /^\d+(\.\d)?,\d+(\.\d)?$/.test(point)),
      points.join(' '),
    );
    assert.match(svg, />run 20</);
    assert.match(hover, /from 2\.0000 to 0\.1000/);
  });

  it('draws no plot for one run, and leaves a gap where a value was not a number', () => {
    assert.strictEqual(historySvg([1], { stride: 1, precision: 4 }), undefined);
    assert.strictEqual(historySvg([null, null], { stride: 1, precision: 4 }), undefined);
    assert.doesNotMatch(traceHover(traced({ executions: 1, history: [0.5] }), 4, AT), /!\[/);
    const gap = historySvg([1, 2, null, 3, 4], { stride: 1, precision: 4 })!;
    assert.strictEqual(gap.match(/<polyline/g)?.length, 2, gap);
    const strided = historySvg([1, 2, 3], { stride: 10, precision: 4 })!;
    assert.match(strided, />run 21</, 'the last plotted run counts the stride');
    const flat = historyDataUri([5, 5, 5], { stride: 1, precision: 4 });
    assert.ok(flat?.startsWith('data:image/svg+xml;base64,'));
  });

  it('shows the engine check with both numbers and the likely cause', () => {
    const hover = traceHover(
      traced({
        engineCheck: {
          status: 'disagrees',
          reason: null,
          entries: [{ name: 'x1', leaf: true, user: -0.75, engine: -1.5, numeric: -1.5, relError: 0.5, ok: false }],
          maxRelError: 0.5,
          forward: { ok: true, maxRelError: 0, note: null },
          likelyCause: { bug: 'assign-instead-of-accumulate', description: '`self.grad = …` instead of `+=`' },
          rtol: 1e-6,
        },
      }),
      4,
      AT,
    );
    assert.match(hover, /x1: yours −0\.7500, true −1\.5000, numeric −1\.5000/);
    assert.match(hover, /likely cause: `self\.grad = …` instead of `\+=`/);
    assert.match(traceSuffix(traced({ engineCheck: { status: 'disagrees' } as never }), AT), /⚠ engine check$/);
  });
});
