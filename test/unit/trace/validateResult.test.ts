// The tracer's result is never trusted: garbage is refused with the path of the bad field,
// non-finite numbers become null, long text is clipped, and a good result passes unchanged.
import * as assert from 'assert';
import type { TraceRequest } from '../../../src/trace/protocol';
import { nonFiniteAsNull, validateResult, validateResultText } from '../../../src/trace/validateResult';

const request: TraceRequest = {
  version: 1,
  language: 'python',
  entry: '/w/p.py',
  units: [{ name: '/w/p.py', source: 'c = a * b  # @grad\n' }],
  sites: [
    { id: 0, unit: 0, start: 0, end: 9, line: 0, endLine: 0, form: 'assign', target: 'c', exprStart: 4, exprEnd: 9 },
    { id: 1, unit: 0, start: 0, end: 9, line: 0, endLine: 0, form: 'assign', target: 'c', exprStart: 4, exprEnd: 9 },
  ],
  cwd: '/w',
  resultPath: '/tmp/r.json',
  historyLimit: 4,
  graphNodeLimit: 3,
};

function good(): Record<string, unknown> {
  return {
    version: 1,
    finished: true,
    stopped: null,
    interpreter: 'Python 3.11.7',
    torch: null,
    error: null,
    sites: [
      {
        id: 0,
        executions: 2,
        history: [1.5, -6],
        historyStride: 1,
        last: {
          kind: 'value',
          value: -6,
          note: null,
          variables: [{ name: 'a', node: 1, leaf: true }],
          graph: {
            root: 0,
            nodes: [
              { id: 0, data: -6, grad: 1, op: '*', label: 'c', children: [1, 2], exponent: null },
              { id: 1, data: 2, grad: -3, op: '', label: null, children: [], exponent: null },
              { id: 2, data: -3, grad: 2, op: '', label: null, children: [], exponent: null },
            ],
          },
        },
      },
      { id: 1, executions: 0, history: [], historyStride: 1, last: null },
    ],
  };
}

// The tests write garbage of every type into the result on purpose: it is untyped by design.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = any;

/** good() with `edit` applied; expects a refusal mentioning `where`. */
function refused(edit: (r: Untyped) => void, where: RegExp): void {
  const r = good();
  edit(r);
  const v = validateResult(r, request);
  assert.strictEqual(v.ok, false, `accepted: ${JSON.stringify(r).slice(0, 300)}`);
  if (!v.ok) assert.match(v.reason, where);
}

describe('trace: the result validator', () => {
  it('accepts a good result unchanged', () => {
    const v = validateResult(good(), request);
    assert.ok(v.ok, v.ok ? '' : v.reason);
    if (v.ok) assert.deepStrictEqual(v.result, good());
  });

  it('keeps `noBackward: true` (a value whose engine has no backward()), and only that value of it', () => {
    const marked = good();
    const sites = marked.sites as { last: Record<string, unknown> }[];
    sites[0].last.noBackward = true;
    const v = validateResult(marked, request);
    assert.ok(v.ok, v.ok ? '' : v.reason);
    if (v.ok) assert.strictEqual(v.result.sites[0].last!.noBackward, true);
    sites[0].last.noBackward = 'yes';
    const w = validateResult(marked, request);
    assert.ok(w.ok && !('noBackward' in w.result.sites[0].last!));
  });

  it('refuses what is not a result', () => {
    for (const garbage of [null, 42, 'x', [], { version: 1 }, { ...good(), version: 2 }]) {
      assert.strictEqual(validateResult(garbage, request).ok, false, JSON.stringify(garbage));
    }
    assert.match((validateResultText('{"version": 1,', request) as { reason: string }).reason, /not JSON/);
  });

  it('refuses ids out of range, duplicate sites, and sizes past the limits', () => {
    refused((r) => (r.sites[0].id = 2), /sites\[0\]\.id: 2 is out of range/);
    refused((r) => (r.sites[1].id = 0), /reported twice/);
    refused((r) => (r.sites[0].id = -1), /whole number/);
    refused((r) => (r.sites[0].id = 0.5), /whole number/);
    refused((r) => r.sites.push(r.sites[1]), /more than the 2 allowed/);
    refused((r) => (r.sites[0].last.graph.root = 3), /graph\.root: 3 is out of range/);
    refused((r) => (r.sites[0].last.graph.nodes[0].children = [7]), /children\[0\]: 7 is out of range/);
    refused((r) => (r.sites[0].last.graph.nodes[1].id = 2), /nodes\[1\]\.id: expected 1/);
    refused(
      (r) => r.sites[0].last.graph.nodes.push({ id: 3, data: 1, grad: 1, op: '', children: [] }),
      /more than the 3/,
    );
    refused((r) => (r.sites[0].last.graph.nodes = []), /at least its root/);
    refused((r) => (r.sites[0].last.variables[0].node = 3), /variables\[0\]\.node/);
    refused((r) => (r.sites[0].history = [1, 2, 3, 4, 5, 6, 7, 8, 9]), /history: 9 entries/);
    refused((r) => (r.sites[0].history = [1, 2, 3]), /3 values for 2 executions/);
    refused((r) => (r.sites[0].historyStride = 0), /at least 1/);
    refused((r) => (r.sites[1].last = r.sites[0].last), /never executed has no last value/);
  });

  it('refuses wrong types: numbers as strings, booleans, objects where numbers go', () => {
    refused((r) => (r.sites[0].last.value = '1.5'), /last\.value: expected a number or null/);
    refused((r) => (r.sites[0].last.graph.nodes[0].data = true), /nodes\[0\]\.data/);
    refused((r) => (r.sites[0].last.graph.nodes[0].grad = { v: 1 }), /nodes\[0\]\.grad/);
    refused((r) => (r.sites[0].history = [1, 'x']), /history\[1\]/);
    refused((r) => (r.sites[0].last.kind = 'tensor'), /kind/);
    refused((r) => (r.stopped = 'crashed'), /stopped/);
    refused((r) => (r.finished = 1), /finished/);
    refused((r) => (r.error = { type: 3 }), /error\.type/);
    refused((r) => (r.error = { type: 'E', message: 'm', unit: 5, line: 1, traceback: '' }), /error\.unit/);
    refused((r) => (r.sites[0].last.graph.nodes[0].label = 5), /label/);
  });

  it('reads NaN and Infinity (Python json) as null, outside strings only', () => {
    assert.strictEqual(nonFiniteAsNull('[NaN, -Infinity, "NaN Infinity", 1]'), '[null, null, "NaN Infinity", 1]');
    assert.strictEqual(nonFiniteAsNull('{"a\\"NaN": Infinity}'), '{"a\\"NaN": null}');
    const text = JSON.stringify(good()).replace('"grad":-3', '"grad":NaN').replace('[1.5,-6]', '[Infinity,-6]');
    const v = validateResultText(text, request);
    assert.ok(v.ok, v.ok ? '' : v.reason);
    if (v.ok) {
      assert.strictEqual(v.result.sites[0].last!.graph!.nodes[1].grad, null);
      assert.deepStrictEqual(v.result.sites[0].history, [null, -6]);
    }
    // A number too large for a double parses as Infinity: null too.
    const big = validateResultText(JSON.stringify(good()).replace('"value":-6', '"value":1e999'), request);
    assert.ok(big.ok && big.result.sites[0].last!.value === null);
  });

  it('clips long text instead of refusing it, and drops a line without its unit', () => {
    const r = good() as Untyped;
    r.error = { type: 'E'.repeat(1000), message: 'm'.repeat(10_000), unit: null, line: 4, traceback: '' };
    r.sites[0].last.note = 'n'.repeat(5000);
    const v = validateResult(r, request);
    assert.ok(v.ok);
    if (v.ok) {
      assert.strictEqual(v.result.error!.type.length, 200);
      assert.ok(v.result.error!.type.endsWith('…'));
      assert.strictEqual(v.result.error!.message.length, 4000);
      assert.strictEqual(v.result.error!.line, null);
      assert.strictEqual(v.result.sites[0].last!.note!.length, 2000);
    }
  });
});
