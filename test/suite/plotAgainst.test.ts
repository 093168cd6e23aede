// "Plot against x" from the hover, in the real editor: the hover over a variable carries the link,
// its command opens the graph panel on the lens and asks the webview to plot, and arguments that
// are not a lens and a name are refused without opening anything. The plot itself is drawn and
// checked in the UI tier (test/e2e/graph.test.ts).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { GraphPanelSnapshot } from '../../src/host/panel/graphPanelTestSupport';
import type { PlotMessage, ToWebviewMessage } from '../../src/shared/protocol';
import { eventually, lineOf, openFixture } from './extensionHelpers';

const PLOT_COMMAND = 'gradientLens.plotAgainst';

async function snapshot(): Promise<GraphPanelSnapshot | undefined> {
  return vscode.commands.executeCommand<GraphPanelSnapshot | undefined>('gradientLens.graphPanel.test', 'snapshot');
}

describe('Plot against x (hover link and command)', () => {
  it("puts a 'Plot o against x1' link in the hover over a variable", async () => {
    const editor = await openFixture('neuron.py');
    const line = lineOf(editor.document, 'n = x1*w1 + x2*w2 + b');
    const column = editor.document.lineAt(line).text.indexOf('x1') + 1;
    const text = await eventually(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        editor.document.uri,
        new vscode.Position(line, column),
      );
      const all = hovers
        .flatMap((hover) => hover.contents)
        .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
        .join('\n');
      return all.includes('Plot o against x1') ? all : undefined;
    }, 'a hover with the plot link');
    const link = /\(command:gradientLens\.plotAgainst\?([^ )]+)/.exec(text);
    assert.ok(link, text);
    const args = JSON.parse(decodeURIComponent(link[1])) as [string, number, string];
    assert.deepStrictEqual(args, [editor.document.uri.toString(), lineOf(editor.document, 'o = n.tanh()'), 'x1']);
  });

  it("opens the lens's graph and asks the webview to plot against the variable", async () => {
    const editor = await openFixture('neuron.py');
    const uri = editor.document.uri.toString();
    const line = lineOf(editor.document, 'o = n.tanh()');
    assert.strictEqual(await vscode.commands.executeCommand(PLOT_COMMAND, uri, line, 'x1'), true);
    const plot = await eventually(async () => {
      const state = await snapshot();
      return state?.posted.find((m: ToWebviewMessage): m is PlotMessage => m.type === 'plot');
    }, 'a plot message to the webview');
    assert.deepStrictEqual(plot, { type: 'plot', leaf: 'x1', documentUri: uri, line });
    assert.deepStrictEqual((await snapshot())?.showing?.line, line);
  });

  it('refuses arguments that are not a lens and a name', async () => {
    const editor = await openFixture('neuron.py');
    const uri = editor.document.uri.toString();
    assert.strictEqual(await vscode.commands.executeCommand(PLOT_COMMAND, uri, 'nine', 'x1'), false);
    assert.strictEqual(await vscode.commands.executeCommand(PLOT_COMMAND, uri, 0, 'x1'), false, 'no lens on line 1');
    assert.strictEqual(await vscode.commands.executeCommand(PLOT_COMMAND, 42, 8, 'x1'), false);
  });
});
