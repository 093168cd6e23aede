'use strict';
// Debian's Chromium, driven by playwright-core: no browser download needed.
const fs = require('fs');
const { onCleanup } = require('./processes');

/** Flags from the offline recipe: no GPU, no sandbox (containers), no network beyond loopback. */
const CHROMIUM_ARGS = require('./chromium-args.json');

function chromiumPath() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) throw new Error('Chromium not found: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH');
  return found;
}

/**
 * Launches headless Chromium and opens one page of `viewport` size.
 * @returns {Promise<{ browser: import('playwright-core').Browser, page: import('playwright-core').Page }>}
 */
async function openPage({ viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return { browser, page };
}

module.exports = { openPage, chromiumPath, CHROMIUM_ARGS };
