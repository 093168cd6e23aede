// For the extension-host tests only: activate() installs this outside production
// (vscode.ExtensionMode.Production never has it). It observes the graph panel, keeps the latest
// messages the panel posted and the webview's `rendered` and `rejected` replies, and registers the
// internal command the tests read them through (test/suite/graph.test.ts):
//   ('snapshot')          the open panel's GraphPanelSnapshot, or undefined
//   ('receive', message)  delivers `message` as if the webview had sent it: whether it was acted on
//   ('post', data)        posts `data` to the webview unchecked (a malformed graph): whether a panel is open
//   ('restore', state)    what the serializer does after a reload, on a fresh panel: its snapshot
// The DOM itself is the UI tests' business (test/e2e).
import * as vscode from 'vscode';
import { CommandId } from '../commands/ids';
import type { Context } from '../context';
import {
  MessageType,
  type FromWebviewMessage,
  type RejectedMessage,
  type RenderedMessage,
  type ToWebviewMessage,
} from '../../shared/protocol';
import {
  GRAPH_TITLE,
  GRAPH_VIEW_TYPE,
  type GraphPanelManager,
  type GraphPanelObserver,
  type Showing,
} from './graphPanel';

export interface GraphPanelSnapshot {
  /** The panel's own state: the graph it shows, if any. */
  showing?: Showing;
  /** Since the panel opened, the latest messages it posted to the webview. */
  posted: ToWebviewMessage[];
  /** Since the panel opened, the latest graphs the webview reported drawn. */
  rendered: RenderedMessage[];
  /** Since the panel opened, the latest messages the webview refused (or graphs it could not draw), and why. */
  rejected: RejectedMessage[];
}

/** The snapshot keeps only the latest messages. */
const HISTORY = 20;

export class GraphPanelRecorder implements GraphPanelObserver {
  private posts: ToWebviewMessage[] = [];
  private renders: RenderedMessage[] = [];
  private rejections: RejectedMessage[] = [];

  static register(ctx: Context): vscode.Disposable {
    const recorder = new GraphPanelRecorder(ctx.graphPanel);
    return vscode.Disposable.from(
      ctx.graphPanel.observe(recorder),
      vscode.commands.registerCommand(CommandId.GraphPanelTest, (action?: unknown, argument?: unknown) =>
        recorder.test(action, argument),
      ),
    );
  }

  /** The webview of the panel opened last. */
  private webview: vscode.Webview | undefined;

  private constructor(private readonly panels: GraphPanelManager) {}

  opened(webview: vscode.Webview): void {
    this.webview = webview;
    this.posts = [];
    this.renders = [];
    this.rejections = [];
  }

  posted(message: ToWebviewMessage): void {
    remember(this.posts, message);
  }

  received(message: FromWebviewMessage): void {
    if (message.type === MessageType.Rendered) remember(this.renders, message);
    else if (message.type === MessageType.Rejected) remember(this.rejections, message);
  }

  private async test(action: unknown, argument: unknown): Promise<GraphPanelSnapshot | boolean | undefined> {
    if (action === 'restore') {
      const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, GRAPH_TITLE, {
        viewColumn: vscode.ViewColumn.Beside,
        preserveFocus: true,
      });
      await this.panels.restore(panel, argument);
      return this.snapshot();
    }
    if (action === 'receive') return this.panels.current?.receive(argument);
    if (action === 'post') {
      // As it is, without the protocol's types: the webview must refuse it visibly and say why.
      if (!this.panels.current || !this.webview) return false;
      await this.webview.postMessage(argument);
      return true;
    }
    return this.snapshot();
  }

  private snapshot(): GraphPanelSnapshot | undefined {
    const panel = this.panels.current;
    if (!panel) return undefined;
    return {
      showing: panel.showing,
      posted: this.posts.slice(),
      rendered: this.renders.slice(),
      rejected: this.rejections.slice(),
    };
  }
}

function remember<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > HISTORY) list.splice(0, list.length - HISTORY);
}
