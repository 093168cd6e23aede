// The graph webview outside VS Code, for the bench: the real bundles (dist/webview.js,
// dist/layoutWorker.js), stylesheet and HTML with its real Content Security Policy, served on
// loopback and opened in headless Chromium. A stub `acquireVsCodeApi` (its own file, allowed by
// the nonce) records what the webview posts, so the bench can wait for its `rendered` message.
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { graphHtml } from '../../src/host/panel/graphHtml';

const root = path.resolve(__dirname, '..', '..', '..');
/** Chromium's flags, one list for the harness, the UI tests and the bench (see test/harness/browser.js). */
const CHROMIUM_ARGS = JSON.parse(
  fs.readFileSync(path.join(root, 'test', 'harness', 'chromium-args.json'), 'utf8'),
) as string[];

/** A few of the variables VS Code defines in a webview (Dark Modern values), so the page is readable. */
const THEME: Record<string, string> = {
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-editorWidget-border': '#454545',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-diffEditor-insertedTextBackground': '#9ccc2c33',
  '--vscode-gitDecoration-addedResourceForeground': '#81b88b',
  '--vscode-symbolIcon-variableForeground': '#75beff',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-errorForeground': '#f85149',
  '--vscode-panel-border': '#2b2b2b',
};

const STUB = `for (const [k, v] of Object.entries(${JSON.stringify(THEME)})) document.documentElement.style.setProperty(k, v);
window.__posted = [];
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(m),
  getState: () => undefined,
  setState: () => undefined,
});`;

const FILES: Record<string, [string, string]> = {
  '/dist/webview.js': [path.join(root, 'dist', 'webview.js'), 'text/javascript'],
  '/dist/layoutWorker.js': [path.join(root, 'dist', 'layoutWorker.js'), 'text/javascript'],
  '/media/graph.css': [path.join(root, 'media', 'graph.css'), 'text/css'],
};

export interface GraphPage {
  page: import('playwright-core').Page;
  /** Polls an expression in the page (waitForFunction would eval, which the page's CSP forbids). */
  until(expression: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openGraphPage(): Promise<GraphPage> {
  for (const [file] of Object.values(FILES)) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(root, file)} is missing: run npm run build`);
  }
  const nonce = 'benchNonce0123456789';
  let html = '';
  const server = http.createServer((request, response) => {
    const url = (request.url ?? '/').split('?')[0];
    if (url === '/') return void response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    if (url === '/favicon.ico') return void response.writeHead(204).end();
    if (url === '/stub.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(STUB);
    const file = FILES[url];
    if (!file) return void response.writeHead(404).end();
    response
      .writeHead(200, { 'content-type': file[1], 'access-control-allow-origin': '*' })
      .end(fs.readFileSync(file[0]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  html = graphHtml({
    cspSource: origin,
    nonce,
    scriptUri: `${origin}/dist/webview.js`,
    workerUri: `${origin}/dist/layoutWorker.js`,
    styleUri: `${origin}/media/graph.css`,
  }).replace('<script nonce', `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n  <script nonce`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${origin}/`);
  const until = async (expression: string, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await page.evaluate(expression))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await until('window.__posted.length > 0');
  if (problems.length > 0) throw new Error(`the graph page reported: ${problems.join('; ')}`);
  return {
    page,
    until,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
