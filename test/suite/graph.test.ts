// The graph panel in the real editor: it opens for a lens and posts the graph, the webview really
// draws it (its `rendered` reply), it answers a reveal request, it follows the cursor and the
// edits, it is one panel, and a graph the webview cannot draw is refused visibly and reported
// (its `rejected` reply). Outside production a recorder observes the panel; its internal test
// command gives what the panel posted and the webview drew, and lets a test deliver a message as if
// the webview had sent it (src/host/panel/graphPanelTestSupport.ts). The DOM itself is the UI
// tests' business (test/e2e).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { GraphPanelSnapshot } from '../../src/host/panel/graphPanelTestSupport';
import type { ShowMessage, ToWebviewMessage } from '../../src/shared/protocol';
import {
  closeWithoutSaving,
  eventually,
  fixture,
  lensTitles,
  lineOf,
  middleOf,
  openFixture,
  openUntitled,
  rangeOf,
} from './extensionHelpers';

const NEURON_STATEMENT = 'o = n.tanh()  # @grad';
const NEURON_SUM = 'n = x1*w1 + x2*w2 + b';

const TEST_COMMAND = 'gradientLens.graphPanel.test';

async function snapshot(): Promise<GraphPanelSnapshot> {
  const state = await vscode.commands.executeCommand<GraphPanelSnapshot | undefined>(TEST_COMMAND, 'snapshot');
  assert.ok(state, 'the graph panel is not open');
  return state;
}

function lastShow(state: GraphPanelSnapshot): ShowMessage | undefined {
  return [...state.posted].reverse().find((m: ToWebviewMessage): m is ShowMessage => m.type === 'show');
}

async function waitForShow(what: string, accept: (m: ShowMessage) => boolean): Promise<ShowMessage> {
  return eventually(
    async () => {
      const shown = lastShow(await snapshot());
      return shown && accept(shown) ? shown : undefined;
    },
    what,
    15_000,
  );
}

function nodeNamed(message: ShowMessage, label: string) {
  const node = message.view.nodes.find((n) => n.label === label);
  assert.ok(node, `no node ${label}`);
  return node;
}

function graphTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('gradientLens.graph'));
}

describe('Graph panel', function () {
  this.timeout(60_000);

  after(async () => {
    for (const tab of graphTabs()) await vscode.window.tabGroups.close(tab);
  });

  it('opens for a lens and posts its graph: micrograd neuron values, grads and backward steps', async () => {
    const line = lineOf((await openFixture('neuron.py')).document, NEURON_STATEMENT);
    await vscode.commands.executeCommand('gradientLens.showGraph', fixture('neuron.py'), line);
    const shown = await waitForShow('the neuron graph', (m) => m.target === 'o');
    assert.strictEqual(shown.line, line);
    assert.ok(Math.abs(nodeNamed(shown, 'o').data - 0.7071) < 1e-4);
    const expected: Record<string, number> = { x1: -1.5, w1: 1.0, x2: 0.5, w2: 0.0, b: 0.5 };
    for (const [label, grad] of Object.entries(expected))
      assert.ok(Math.abs(nodeNamed(shown, label).grad - grad) < 1e-6, label);
    assert.strictEqual(shown.view.initialGrads[shown.view.output], 1);
    assert.strictEqual(shown.view.steps[0].node, shown.view.output, 'the walk starts at the output');
    assert.ok(shown.view.edges.some((e) => e.text === '∂o/∂n = 1 − o² = 0.5000 × 1.0000 = 0.5000'));
  });

  it('is drawn by the webview (layout worker, Graphviz WASM and the CSP all work)', async () => {
    const shown = await waitForShow('the neuron graph', (m) => m.target === 'o');
    const rendered = await eventually(
      async () => (await snapshot()).rendered.find((r) => r.revision >= shown.revision),
      'the webview to draw the graph',
      30_000,
    );
    assert.strictEqual(rendered.nodes, shown.view.nodes.length);
    assert.strictEqual(rendered.edges, shown.view.edges.length);
    assert.strictEqual(rendered.reduced, false);
  });

  it("answers a reveal request by selecting the node's source", async () => {
    const shown = await waitForShow('the neuron graph', (m) => m.target === 'o');
    const w1 = nodeNamed(shown, 'w1');
    assert.strictEqual(
      await vscode.commands.executeCommand(TEST_COMMAND, 'receive', {
        type: 'reveal',
        revision: shown.revision,
        nodeId: w1.id,
      }),
      true,
      'nothing revealed',
    );
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.toString(), fixture('neuron.py').toString());
    assert.strictEqual(editor.selection.start.line, lineOf(editor.document, 'w1 = -3.0'));
    assert.strictEqual(editor.document.getText(editor.selection), 'w1');
  });

  it('rejects malformed and stale messages', async () => {
    const shown = await waitForShow('the neuron graph', (m) => m.target === 'o');
    assert.strictEqual(
      await vscode.commands.executeCommand(TEST_COMMAND, 'receive', {
        type: 'reveal',
        revision: shown.revision,
        nodeId: 'w1',
      }),
      false,
    );
    assert.strictEqual(
      await vscode.commands.executeCommand(TEST_COMMAND, 'receive', {
        type: 'reveal',
        revision: shown.revision + 99,
        nodeId: 0,
      }),
      false,
    );
    assert.strictEqual(
      await vscode.commands.executeCommand(TEST_COMMAND, 'receive', { type: 'export', format: 'exe', content: '' }),
      false,
    );
    assert.strictEqual(await vscode.commands.executeCommand(TEST_COMMAND, 'receive', 'ready'), false);
  });

  it('highlights the node of the name under the cursor', async () => {
    const editor = await openFixture('neuron.py');
    const inW1 = middleOf(rangeOf(editor.document, NEURON_SUM, 'w1'));
    editor.selection = new vscode.Selection(inW1, inW1);
    await eventually(
      async () => ((await snapshot()).posted.some((m) => m.type === 'highlight' && m.name === 'w1') ? true : undefined),
      'a highlight of w1',
    );
  });

  it('follows the lens at the cursor and updates live on edit, in one panel', async () => {
    const editor = await openUntitled('a = 3.0\nb = 4.0\nratio = a / b  # @grad\nprod = a * b  # @grad\n');
    try {
      editor.selection = new vscode.Selection(2, 0, 2, 0);
      await vscode.commands.executeCommand('gradientLens.showGraph');
      await waitForShow('ratio', (m) => m.target === 'ratio');
      editor.selection = new vscode.Selection(3, 2, 3, 2);
      const prod = await waitForShow('prod, after moving the cursor', (m) => m.target === 'prod');
      assert.strictEqual(nodeNamed(prod, 'a').grad, 4);
      await editor.edit((edit) => edit.replace(new vscode.Range(0, 4, 0, 7), '5.0'));
      const edited = await waitForShow(
        'prod after the edit',
        (m) => m.target === 'prod' && nodeNamed(m, 'a').data === 5,
      );
      assert.ok(edited.revision > prod.revision);
      assert.strictEqual(nodeNamed(edited, 'b').grad, 5);
      // An edit that leaves prod's graph as it was posts no new graph (the webview would redraw it all).
      await editor.edit((edit) => edit.replace(new vscode.Range(2, 8, 2, 13), 'b / a'));
      await eventually(
        async () =>
          (await lensTitles(editor.document.uri)).some((title) => title.startsWith('ratio = 0.8000'))
            ? true
            : undefined,
        'ratio re-analysed',
      );
      assert.strictEqual(lastShow(await snapshot())?.revision, edited.revision);
      // Mid-edit errors keep the last picture (stale) instead of blanking it.
      await editor.edit((edit) => edit.replace(new vscode.Range(3, 7, 3, 12), 'a * '));
      const stale = await eventually(async () => {
        const state = await snapshot();
        return state.posted.at(-1)?.type === 'empty' ? state : undefined;
      }, 'an error on the prod lens');
      const message = stale.posted.at(-1);
      assert.deepStrictEqual([message?.type, (message as { stale?: boolean }).stale], ['empty', true]);
      assert.deepStrictEqual(
        stale.showing,
        { documentUri: editor.document.uri.toString(), line: 3, dimmed: true },
        "the panel knows it keeps prod's picture",
      );
      await editor.edit((edit) => edit.replace(new vscode.Range(3, 7, 3, 11), 'a * b'));
      await waitForShow('prod again', (m) => m.target === 'prod' && m.revision > edited.revision);
      assert.strictEqual(graphTabs().length, 1, 'one graph panel');
    } finally {
      await closeWithoutSaving();
    }
  });

  it('comes back after a reload with the lens saved in the webview state', async () => {
    const document = (await openFixture('neuron.py')).document;
    const line = lineOf(document, NEURON_STATEMENT);
    const restored = await vscode.commands.executeCommand<GraphPanelSnapshot>(TEST_COMMAND, 'restore', {
      documentUri: fixture('neuron.py').toString(),
      line,
      edgeLabels: false,
    });
    assert.strictEqual(restored?.showing?.line, line);
    const shown = lastShow(restored);
    assert.strictEqual(shown?.target, 'o');
    assert.strictEqual(graphTabs().length, 1, 'the restored panel replaces the old one');
    const noLens = lineOf(document, 'x2 = 0.0');
    const gone = await vscode.commands.executeCommand<GraphPanelSnapshot>(TEST_COMMAND, 'restore', {
      documentUri: fixture('neuron.py').toString(),
      line: noLens,
    });
    assert.deepStrictEqual(
      gone?.posted.map((m) => m.type),
      ['empty'],
    );
    assert.strictEqual(gone.showing, undefined);
  });

  it('shows the graph of "Differentiate Selection"', async () => {
    const editor = await openFixture('neuron.py');
    const sum = rangeOf(editor.document, NEURON_SUM, 'x1*w1 + x2*w2 + b');
    editor.selection = new vscode.Selection(sum.start, sum.end);
    await vscode.commands.executeCommand('gradientLens.differentiateSelection');
    const shown = await waitForShow(
      "the selection's graph",
      (m) => Math.abs(m.view.nodes[m.view.output].data - 0.8814) < 1e-4,
    );
    assert.strictEqual(nodeNamed(shown, 'x1').grad, -3);
    assert.strictEqual(graphTabs().length, 1, 'one graph panel');
  });

  it("draws a graph whose steps sum to 1e308 only in the engine's order", async () => {
    // x's contributions are 1e308 (t), 1e308 (u) and −1e308 (w); the engine adds w's first. Summed
    // in the graph's listed order they overflowed, and the webview refused the graph.
    const editor = await openUntitled(
      'x = 1.0\nt = x * 1e308\nu = x * 1e308\nw = x * -1e308\nz = w + u + t  # @grad\n',
    );
    try {
      editor.selection = new vscode.Selection(4, 0, 4, 0);
      await vscode.commands.executeCommand('gradientLens.showGraph');
      const shown = await waitForShow('z', (m) => m.target === 'z');
      assert.strictEqual(nodeNamed(shown, 'x').grad, 1e308);
      const rendered = await eventually(
        async () => (await snapshot()).rendered.find((r) => r.revision >= shown.revision),
        'the webview to draw the graph',
        30_000,
      );
      assert.strictEqual(rendered.nodes, shown.view.nodes.length);
      assert.deepStrictEqual((await snapshot()).rejected, []);
    } finally {
      await closeWithoutSaving();
    }
  });

  it('says why when the webview cannot draw a graph, and the panel logs it', async () => {
    const line = lineOf((await openFixture('neuron.py')).document, NEURON_STATEMENT);
    await vscode.commands.executeCommand('gradientLens.showGraph', fixture('neuron.py'), line);
    const shown = await waitForShow('the neuron graph', (m) => m.target === 'o');
    await eventually(
      async () => (await snapshot()).rendered.find((r) => r.revision >= shown.revision),
      'the webview to draw the graph',
      30_000,
    );
    const before = (await snapshot()).rejected.length;
    // NaN and Infinity cross postMessage as null.
    const broken = JSON.parse(JSON.stringify(shown)) as ShowMessage;
    broken.revision = shown.revision + 1000;
    (broken.view.nodes[3] as { grad: unknown }).grad = null;
    assert.strictEqual(await vscode.commands.executeCommand(TEST_COMMAND, 'post', broken), true);
    const rejected = await eventually(
      async () => (await snapshot()).rejected.slice(before).at(-1),
      'the webview to refuse the graph',
    );
    assert.strictEqual(rejected.reason, "This graph could not be drawn: node 3's grad is not a finite number (null)");
    assert.strictEqual((await snapshot()).showing, undefined, 'the panel knows no graph is on screen');
    // The panel takes a rejection (and logs it); a malformed one it ignores.
    assert.strictEqual(
      await vscode.commands.executeCommand(TEST_COMMAND, 'receive', { type: 'rejected', reason: 'a test' }),
      true,
    );
    assert.strictEqual(await vscode.commands.executeCommand(TEST_COMMAND, 'receive', { type: 'rejected' }), false);
    // The next update draws the lens again.
    await vscode.commands.executeCommand('gradientLens.showGraph', fixture('neuron.py'), line);
    const again = await waitForShow('the neuron graph again', (m) => m.target === 'o' && m.revision > shown.revision);
    await eventually(
      async () => (await snapshot()).rendered.find((r) => r.revision >= again.revision),
      'the webview to draw it again',
      30_000,
    );
  });
});
