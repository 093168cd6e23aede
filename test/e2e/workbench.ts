// A user's hands on the real VS Code in Chromium: the command palette, Quick Open, the mouse on
// a name, the panels. The UI tests (test/e2e/*.test.ts) speak only through this class, so a
// change in VS Code's DOM is fixed in one place.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';

/** Set by test/harness/run-e2e.js, which started code-server with the packaged VSIX installed. */
export interface E2eEnvironment {
  workbenchUrl: string;
  workspace: string;
  screenshots: string;
}

export function e2eEnvironment(): E2eEnvironment {
  const workbenchUrl = process.env.GRADIENT_LENS_E2E_URL;
  const workspace = process.env.GRADIENT_LENS_E2E_WORKSPACE;
  if (!workbenchUrl || !workspace) {
    throw new Error('The UI tests run under the harness: use `npm run test:editor -- --tier e2e`, not mocha directly.');
  }
  const screenshots = process.env.GRADIENT_LENS_E2E_SCREENSHOTS || path.resolve('test-results', 'e2e');
  fs.mkdirSync(screenshots, { recursive: true });
  return { workbenchUrl, workspace, screenshots };
}

/**
 * The second window of the same server (test/e2e/web.test.ts): a copy of the fixture workspace
 * whose settings run the extension in the web worker extension host (see run-e2e.js).
 */
export function e2eWebEnvironment(): E2eEnvironment {
  const base = e2eEnvironment();
  const workbenchUrl = process.env.GRADIENT_LENS_E2E_WEB_URL;
  const workspace = process.env.GRADIENT_LENS_E2E_WEB_WORKSPACE;
  if (!workbenchUrl || !workspace) throw new Error('GRADIENT_LENS_E2E_WEB_URL is not set: run-e2e.js sets it.');
  return { ...base, workbenchUrl, workspace };
}

/** Chromium's flags, one list for the harness, the UI tests and the bench (see test/harness/browser.js). */
const CHROMIUM_ARGS = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'harness', 'chromium-args.json'), 'utf8'),
) as string[];

const normalize = (s: string | null | undefined): string => (s ?? '').replace(/\u00a0/g, ' ');

export class Workbench {
  private shot = 0;

  /** `errors`: the page's console errors, e.g. "Activating extension '…' failed: Cannot load module 'fs'." */
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    readonly env: E2eEnvironment,
    private readonly errors: string[],
  ) {}

  /** Launches Chromium, loads the workbench and waits until the workspace is open in the Explorer. */
  static async open(env = e2eEnvironment()): Promise<Workbench> {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(env.workbenchUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    return new Workbench(browser, page, env, errors);
  }

  /** The console errors logged since the workbench opened that match `pattern`. */
  consoleErrors(pattern: RegExp): string[] {
    return this.errors.filter((text) => pattern.test(text));
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /** Saves `NN-name.png` under test-results/e2e/ (numbered in the order the steps ran). */
  async screenshot(name: string): Promise<string> {
    this.shot += 1;
    const file = path.join(this.env.screenshots, `${String(this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Opens the Quick Open box with F1 (focus may start anywhere, e.g. in a panel). */
  private async quickInput(text: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
  }

  /** Picks the row whose label contains `label` and presses Enter on it. */
  private async pick(label: string): Promise<void> {
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Runs a command from the command palette by its title, as a user types it. */
  async runCommand(title: string): Promise<void> {
    await this.quickInput(`>${title}`);
    await this.pick(title);
  }

  /** Opens a workspace file through Quick Open and waits for its editor. */
  async openFile(relativePath: string): Promise<void> {
    await this.quickInput(relativePath);
    await this.pick(path.basename(relativePath));
    await this.page
      .locator(`.tabs-container .tab.active[data-resource-name="${path.basename(relativePath)}"]`)
      .first()
      .waitFor();
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  /** Puts the cursor at a one-based line and column ("Go to Line/Column"). */
  async goTo(line: number, column = 1): Promise<void> {
    await this.quickInput(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Selects `text` on the one-based `line` of the fixture file, with the keyboard. */
  async select(relativePath: string, line: number, text: string): Promise<void> {
    const source = fs.readFileSync(path.join(this.env.workspace, relativePath), 'utf8').split('\n')[line - 1];
    const index = source.indexOf(text);
    if (index < 0) throw new Error(`"${text}" is not on line ${line} of ${relativePath}`);
    await this.goTo(line, index + 1);
    for (let i = 0; i < text.length; i++) await this.page.keyboard.press('Shift+ArrowRight');
  }

  /** The texts of the CodeLens lines currently rendered in the editor, waiting until one matches. */
  async codeLenses(expected: RegExp, timeout = 30_000): Promise<string[]> {
    const lenses = this.page.locator('.editor-instance .codelens-decoration');
    await lenses.filter({ hasText: expected }).first().waitFor({ timeout });
    return (await lenses.allTextContents()).map(normalize);
  }

  /**
   * Moves the mouse onto `word` in the rendered line whose text is `lineText`, and returns the
   * hover's text once it contains `expected`.
   */
  async hover(lineText: string, word: string, expected: RegExp, timeout = 20_000): Promise<string> {
    const point = await this.page.evaluate<{ x: number; y: number } | null>(
      `(${WORD_CENTRE})(${JSON.stringify({ lineText, word })})`,
    );
    if (!point) throw new Error(`"${word}" not found on a rendered line "${lineText}"`);
    await this.page.mouse.move(point.x - 30, point.y + 30);
    await this.page.mouse.move(point.x, point.y, { steps: 5 });
    const hover = this.page.locator('.monaco-hover:visible', { hasText: expected }).first();
    await hover.waitFor({ timeout });
    return normalize(await hover.textContent());
  }

  /** Focuses the Problems view and returns its rows' texts once one matches `expected`. */
  async problems(expected: RegExp, timeout = 30_000): Promise<string[]> {
    await this.runCommand('Focus Problems (Errors, Warnings, Infos)');
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: expected }).first().waitFor({ timeout });
    return (await rows.allTextContents()).map(normalize);
  }

  /**
   * The row of an activated extension in "Developer: Show Running Extensions", e.g.
   * "Gradient Lens 0.1.0 web worker Activation: 77ms": VS Code labels each row with the host the
   * extension runs in ("web worker", or the remote server's address for its Node host).
   */
  async runningExtension(displayName: string, timeout = 20_000): Promise<string> {
    await this.runCommand('Developer: Show Running Extensions');
    const list = this.page.locator('.runtime-extensions-editor .monaco-list');
    const row = list.locator('.monaco-list-row', { hasText: displayName }).first();
    await list.locator('.monaco-list-row').first().waitFor({ timeout });
    // The list is sorted by activation time and virtualised: walk down it with the keyboard until
    // the row is rendered, then show it whole (for the screenshot).
    await list.locator('.monaco-list-row').first().click();
    for (let i = 0; i < 100 && (await row.count()) === 0; i++) await this.page.keyboard.press('ArrowDown');
    if ((await row.count()) === 0)
      throw new Error(`${displayName} is not among the running extensions (is it activated?)`);
    await row.scrollIntoViewIfNeeded();
    return normalize(await row.textContent());
  }

  /** The whole text of a webview frame, e.g. after a click in it changed what it shows. */
  async webviewText(frame: Frame): Promise<string> {
    return normalize(await frame.evaluate<string>(BODY_TEXT));
  }

  /**
   * Waits for a webview frame (webviews are nested iframes) whose text matches every pattern,
   * and returns that frame and its text.
   */
  async webviewFrame(patterns: RegExp[], timeout = 45_000): Promise<{ frame: Frame; text: string }> {
    const deadline = Date.now() + timeout;
    let seen = '';
    while (Date.now() < deadline) {
      // Webview frames are served from VS Code's webview/browser/pre/ (index.html, then fake.html);
      // other frames (e.g. the web worker extension host's) are not webviews.
      for (const frame of this.page.frames().filter((f) => f.url().includes('/webview/'))) {
        const text = normalize(await frame.evaluate<string>(BODY_TEXT).catch(() => ''));
        if (text) seen = text;
        if (patterns.every((p) => p.test(text))) return { frame, text };
      }
      await this.page.waitForTimeout(500);
    }
    const urls = this.page
      .frames()
      .map((f) => f.url().replace(/\?.*/, ''))
      .join(', ');
    throw new Error(
      `No webview frame matched ${patterns.join(', ')} within ${timeout} ms; ` +
        `last webview text: ${seen.slice(0, 500) || '(none)'}; frames: ${urls}`,
    );
  }

  /**
   * The notification matching `expected` (a progress, a message), as a toast or, when no toast
   * shows within a few seconds (a page without focus may get none), in the Notifications center.
   */
  private async findNotification(expected: RegExp, timeout: number): Promise<Locator> {
    const item = this.page.locator('.notification-list-item:visible', { hasText: expected }).first();
    try {
      await item.waitFor({ state: 'visible', timeout: Math.min(timeout, 5_000) });
      return item;
    } catch {
      await this.runCommand('Notifications: Show Notifications');
      await item.waitFor({ state: 'visible', timeout });
      return item;
    }
  }

  /** The text of the notification matching `expected`, once it shows. */
  async notification(expected: RegExp, timeout = 30_000): Promise<string> {
    return normalize(await (await this.findNotification(expected, timeout)).textContent());
  }

  /** Clicks the button labelled `button` (e.g. "Cancel") of the notification matching `expected`. */
  async clickNotificationButton(expected: RegExp, button: string, timeout = 30_000): Promise<void> {
    const item = await this.findNotification(expected, timeout);
    await item.locator('.monaco-button', { hasText: button }).first().click();
  }

  /**
   * The images in the visible hover, as the browser loaded them: `width` and `height` are the
   * decoded image's (0 when it did not load or render).
   */
  async hoverImages(): Promise<Array<{ src: string; width: number; height: number }>> {
    return this.page.evaluate<Array<{ src: string; width: number; height: number }>>(HOVER_IMAGES);
  }
}

// Code that runs in the page. It is kept as source text because this tsconfig has no DOM types
// (it also type-checks the extension, which must not use them).

const BODY_TEXT = 'document.body ? document.body.textContent : ""';

/** Every image in a visible hover: its source (shortened) and its decoded size. */
const HOVER_IMAGES = String.raw`[...document.querySelectorAll('.monaco-hover img')]
  .filter((img) => img.offsetParent !== null)
  .map((img) => ({ src: img.src.slice(0, 40), width: img.naturalWidth, height: img.naturalHeight }))`;

/** The centre of `word` inside the rendered editor line reading `lineText`, or null. */
const WORD_CENTRE = String.raw`({ lineText, word }) => {
  const clean = (s) => (s || '').replace(/\u00a0/g, ' ');
  for (const line of document.querySelectorAll('.editor-instance .view-line')) {
    const text = clean(line.textContent);
    if (text.trim() !== lineText.trim()) continue;
    // The word as a whole identifier: not a piece of a longer name.
    const isName = (c) => c !== undefined && /[A-Za-z0-9_]/.test(c);
    let offset = text.indexOf(word);
    while (offset >= 0 && (isName(text[offset - 1]) || isName(text[offset + word.length]))) offset = text.indexOf(word, offset + 1);
    if (offset < 0) return null;
    // Walk the line's text nodes to the word's first character, then measure the word.
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.textContent.length;
      if (offset < length) {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, Math.min(length, offset + word.length));
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      offset -= length;
    }
  }
  return null;
}`;
