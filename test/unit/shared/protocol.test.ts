import * as assert from 'assert';
import { contentSecurityPolicy, graphHtml } from '../../../src/host/panel/graphHtml';
import { buildGraphView } from '../../../src/graph/graphView';
import {
  checkFromWebview,
  checkToWebview,
  graphViewProblem,
  MAX_REASON,
  MessageType,
  parseFromWebview,
  parseToWebview,
  type ShowMessage,
} from '../../../src/shared/protocol';
import { microgradNeuron } from '../graph/fixtures';

function show(): ShowMessage {
  return {
    type: MessageType.Show,
    revision: 1,
    target: 'o',
    documentUri: 'file:///n.py',
    line: 8,
    value: 0.7071,
    gradcheck: null,
    view: buildGraphView(microgradNeuron()),
  };
}

/** A JSON round trip: what postMessage delivers. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('graph protocol: messages to the webview', () => {
  it('accepts a graph message after a JSON round trip', () => {
    const message = wire(show());
    assert.deepStrictEqual(parseToWebview(message), message);
  });

  it('rejects a graph whose references or numbers are broken', () => {
    const broken: Array<(m: ShowMessage) => void> = [
      (m) => (m.view.output = 99),
      (m) => (m.view.edges[0].from = -1),
      (m) => (m.view.steps[0].contributions[0].child = 1e6),
      (m) => ((m.view.nodes[0] as { data: unknown }).data = null), // NaN and Infinity arrive as null
      (m) => ((m.view.nodes[0] as { label: unknown }).label = { toString: 'x' }),
      (m) => (m.view.initialGrads = m.view.initialGrads.slice(1)),
      (m) => ((m as { revision: unknown }).revision = -1),
    ];
    for (const breakIt of broken) {
      const message = wire(show());
      breakIt(message);
      assert.strictEqual(parseToWebview(message), undefined, breakIt.toString());
    }
  });

  it('accepts highlight and empty messages and nothing else', () => {
    assert.deepStrictEqual(parseToWebview({ type: 'highlight', name: 'w1' }), {
      type: MessageType.Highlight,
      name: 'w1',
    });
    assert.deepStrictEqual(parseToWebview({ type: 'highlight', name: null }), {
      type: MessageType.Highlight,
      name: null,
    });
    assert.deepStrictEqual(parseToWebview({ type: 'empty', reason: 'no lens' }), {
      type: MessageType.Empty,
      reason: 'no lens',
    });
    assert.deepStrictEqual(parseToWebview({ type: 'empty', reason: 'parse error', stale: true }), {
      type: MessageType.Empty,
      reason: 'parse error',
      stale: true,
    });
    assert.strictEqual(parseToWebview({ type: 'empty', reason: 'x', stale: 'yes' }), undefined);
    for (const bad of [null, 'show', [], { type: 'highlight', name: 3 }, { type: 'eval', code: '1' }])
      assert.strictEqual(parseToWebview(bad), undefined);
  });

  it('accepts a plot request for a named variable of a lens, and nothing malformed', () => {
    const plot = { type: 'plot', leaf: 'x1', documentUri: 'file:///n.py', line: 8 };
    assert.deepStrictEqual(parseToWebview({ ...plot, extra: 1 }), { ...plot, type: MessageType.Plot });
    for (const bad of [
      { ...plot, leaf: 3 },
      { ...plot, leaf: 'x'.repeat(1001) },
      { ...plot, line: -1 },
      { ...plot, documentUri: null },
    ])
      assert.strictEqual(parseToWebview(bad), undefined, JSON.stringify(bad).slice(0, 80));
    assert.match(reasonToWebview({ ...plot, leaf: 3 }), /the variable to plot against is not a name \(3\)/);
  });
});

/** Why checkToWebview refuses `message`; fails if it accepts it. */
function reasonToWebview(message: unknown): string {
  const checked = checkToWebview(message);
  assert.ok(!checked.ok, `accepted ${JSON.stringify(message)}`);
  return checked.reason;
}

describe('graph protocol: why a message to the webview is refused', () => {
  it('names the field and the position that is wrong', () => {
    const cases: Array<[(m: ShowMessage) => void, string]> = [
      [
        (m) => ((m.view.nodes[3] as { grad: unknown }).grad = null), // NaN or Infinity, after JSON
        "node 3's grad is not a finite number (null)",
      ],
      [(m) => ((m.view.nodes[0] as { data: unknown }).data = '1'), "node 0's data is not a finite number (a string)"],
      [(m) => (m.view.output = 99), "the view's output is not a node position from 0 to 9 (99)"],
      [(m) => (m.view.edges[2].from = -1), "edge 2's operand end is not a node position from 0 to 9 (-1)"],
      [
        (m) => ((m.view.steps[1].contributions[0] as { after: unknown }).after = null),
        "backward step 2's contribution 1's after is not a finite number (null)",
      ],
      [
        (m) => (m.view.steps[1].contributions[1].child = 1e6),
        "backward step 2's contribution 2's receiving node is not a node position from 0 to 9 (1000000)",
      ],
      [(m) => (m.view.initialGrads = m.view.initialGrads.slice(1)), 'the view has 9 initial grads for 10 nodes'],
      [
        (m) => ((m.view.nodes[4] as { label: unknown }).label = { a: 1 }),
        "node 4's label is neither a string nor null (an object)",
      ],
      [(m) => ((m as { revision: unknown }).revision = -1), "the graph's revision is not a whole number \u2265 0 (-1)"],
      [(m) => ((m as { view: unknown }).view = []), 'the view is not an object (a list)'],
      [(m) => (m.view.nodes = []), 'the view has no nodes'],
    ];
    for (const [breakIt, reason] of cases) {
      const message = wire(show());
      breakIt(message);
      assert.strictEqual(reasonToWebview(message), reason, breakIt.toString());
    }
  });

  it('never quotes user text, only numbers and kinds', () => {
    const message = wire(show());
    (message.view.nodes[2] as { name: unknown }).name = ['<script>'];
    assert.strictEqual(reasonToWebview(message), "node 2's name is not a string (a list)");
    assert.strictEqual(reasonToWebview({ type: 'show<b>', x: 1 }), 'a message of unknown type (a string)');
    assert.strictEqual(reasonToWebview({ type: 'paint' }), "a message of unknown type ('paint')");
    assert.strictEqual(reasonToWebview('show'), 'the message is not an object (a string)');
    assert.strictEqual(
      reasonToWebview({ type: 'highlight', name: 3 }),
      'the name to highlight is neither a string nor null (3)',
    );
  });

  it('agrees with parseToWebview and isGraphView', () => {
    const good = wire(show());
    assert.deepStrictEqual(checkToWebview(good), { ok: true, message: good });
    assert.strictEqual(graphViewProblem(good.view), undefined);
    assert.strictEqual(graphViewProblem(null), 'the view is not an object (null)');
  });
});

describe('graph protocol: messages from the webview', () => {
  it('keeps only the known fields of valid messages', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'reveal', revision: 2, nodeId: 5, extra: 'x' }), {
      type: MessageType.Reveal,
      revision: 2,
      nodeId: 5,
    });
    assert.deepStrictEqual(parseFromWebview({ type: 'export', format: 'dot', content: 'digraph {}' }), {
      type: MessageType.Export,
      format: 'dot',
      content: 'digraph {}',
    });
    assert.deepStrictEqual(parseFromWebview({ type: 'ready' }), { type: MessageType.Ready });
  });

  it('rejects malformed ones', () => {
    const bad = [
      undefined,
      { type: 'reveal', revision: 1, nodeId: '5' },
      { type: 'export', format: 'png', content: '' },
      { type: 'copyDot', content: 5 },
      { type: 'rendered', revision: 1 },
      { type: 'open', path: '/etc/passwd' },
    ];
    for (const message of bad) assert.strictEqual(parseFromWebview(message), undefined, JSON.stringify(message));
  });

  it('says why it rejects one', () => {
    const reason = (message: unknown): string => {
      const checked = checkFromWebview(message);
      assert.ok(!checked.ok, JSON.stringify(message));
      return checked.reason;
    };
    assert.strictEqual(reason(undefined), 'the message is not an object (missing)');
    assert.strictEqual(
      reason({ type: 'reveal', revision: 1, nodeId: '5' }),
      "the reveal request's node id is not an integer (a string)",
    );
    assert.strictEqual(
      reason({ type: 'export', format: 'png', content: '' }),
      "the export's format is not 'svg' or 'dot'",
    );
    assert.strictEqual(
      reason({ type: 'rendered', revision: 1 }),
      "the rendered report's hash is not a string (missing)",
    );
    assert.strictEqual(reason({ type: 'open', path: '/etc/passwd' }), "a message of unknown type ('open')");
    assert.strictEqual(reason({ type: 'rejected', reason: 42 }), "the rejection's reason is not a string (42)");
  });

  it("accepts the webview's rejection: one line of at most MAX_REASON characters", () => {
    assert.deepStrictEqual(
      parseFromWebview({
        type: 'rejected',
        reason: "This graph could not be drawn: node 3's grad is not a finite number",
      }),
      { type: MessageType.Rejected, reason: "This graph could not be drawn: node 3's grad is not a finite number" },
    );
    const long = parseFromWebview({ type: 'rejected', reason: 'x'.repeat(10_000), extra: 1 });
    assert.deepStrictEqual(long, { type: MessageType.Rejected, reason: 'x'.repeat(MAX_REASON) });
    assert.deepStrictEqual(parseFromWebview({ type: 'rejected', reason: 'a\nb\u0000c\u001b[31m\u2028d' }), {
      type: MessageType.Rejected,
      reason: 'a b c [31m d',
    });
    assert.strictEqual(parseFromWebview({ type: 'rejected' }), undefined);
  });
});

describe('graph webview HTML and CSP', () => {
  const html = graphHtml({
    cspSource: 'https://res.example',
    nonce: 'N0nce',
    scriptUri: 'https://res.example/dist/webview.js',
    workerUri: 'https://res.example/dist/layoutWorker.js"><b>',
    styleUri: 'https://res.example/media/graph.css',
  });

  it('allows nothing by default, scripts only by nonce, WebAssembly but no eval, and no inline style', () => {
    const csp = contentSecurityPolicy('https://res.example', 'N0nce');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-N0nce' 'wasm-unsafe-eval';/);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/);
    assert.match(csp, /worker-src blob:/);
    assert.ok(html.includes(`content="${csp.replace(/'/g, "'")}"`));
  });

  it('loads the one script with the nonce, has no inline handler, and escapes attributes', () => {
    assert.strictEqual((html.match(/<script /g) ?? []).length, 1);
    assert.ok(html.includes('<script nonce="N0nce" src="https://res.example/dist/webview.js"></script>'));
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /style=/);
    assert.ok(html.includes('data-worker-src="https://res.example/dist/layoutWorker.js&quot;&gt;&lt;b&gt;"'));
  });

  it('has the controls the UI tests use', () => {
    for (const id of [
      'step',
      'play',
      'pause',
      'reset',
      'fit',
      'edge-labels',
      'export-svg',
      'export-dot',
      'copy-dot',
      'gradcheck',
      'viewport',
      'status',
      'step-counter',
      'step-back',
      'orientation',
      'colour-grads',
      'legend',
      'search',
      'show-feeding',
      'show-fed',
      'show-all',
      'fold-repeats',
      'narrowing-text',
      'plot',
      'plot-dialog',
      'plot-close',
    ])
      assert.ok(html.includes(`id="${id}"`), id);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.strictEqual(new Set(ids).size, ids.length, 'every id once');
  });
});
