import * as assert from 'assert';
import { contentSecurityPolicy, graphHtml } from '../../../src/host/panel/graphHtml';
import { buildGraphView } from '../../../src/graph/graphView';
import { MessageType, parseFromWebview, parseToWebview, type ShowMessage } from '../../../src/shared/protocol';
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
    ])
      assert.ok(html.includes(`id="${id}"`), id);
  });
});
