'use strict';
// Tier 2: the extension-host tests (test/suite/) in the real VS Code server, driven by Chromium.
// The workbench URL carries VS Code's test payload (extensionDevelopmentPath + extensionTestsPath),
// so the server's extension host loads the extension under development and calls
// out/test/suite/index.js's run(). That runner streams results to a file; this script prints them
// as mocha's spec report and fails on a failure, a crash, a timeout, or no test at all.
const fs = require('fs');
const path = require('path');
const paths = require('./paths');
const { startCodeServer } = require('./server');
const { openPage } = require('./browser');
const { SpecPrinter } = require('./report');
const { copyFixtureWorkspace } = require('./workspace');
const { artifactsFor } = require('./artifacts');

const START_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = Number(process.env.GRADIENT_LENS_HOST_TIMEOUT_MS) || 8 * 60_000;
/** No test event for this long means a hang (or a dead extension host): mocha's own per-test
 *  timeout is 20 s, so only a test that disabled it, or a crash, gets here. */
const IDLE_TIMEOUT_MS = Number(process.env.GRADIENT_LENS_HOST_IDLE_MS) || 3 * 60_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Follows the JSON-lines results file, handing each new complete line to `onEvent`. */
function follow(file, onEvent) {
  let offset = 0;
  let partial = '';
  return () => {
    if (!fs.existsSync(file)) return;
    const size = fs.statSync(file).size;
    if (size < offset) {
      offset = 0;
      partial = '';
    }
    if (size === offset) return;
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(size - offset);
    fs.readSync(fd, buf, 0, buf.length, offset);
    fs.closeSync(fd);
    offset = size;
    const lines = (partial + buf.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onEvent(JSON.parse(line));
  };
}

/**
 * Runs the suite and resolves with an exit code (0 only if tests ran and none failed).
 * Logs, results.jsonl and a screenshot end up in test-results/extension-host/.
 * @param {{ extensionPath?: string, suiteEntry?: string, folder?: string, grep?: string }} [options]
 */
async function runHostTests(options = {}) {
  const extensionPath = options.extensionPath || paths.repoRoot;
  const suiteEntry = options.suiteEntry || paths.suiteEntry;
  const folder = options.folder || copyFixtureWorkspace();
  const artifacts = artifactsFor('extension-host');
  const outDir = artifacts.dir;
  const resultsFile = path.join(outDir, 'results.jsonl');

  const env = { GRADIENT_LENS_TEST_RESULTS: resultsFile };
  if (options.grep) env.GRADIENT_LENS_TEST_GREP = options.grep;
  console.log('\n[tier 2] extension-host tests (test/suite/) in the real VS Code (code-server), driven by Chromium');
  const server = await startCodeServer({ folder, env, logFile: path.join(outDir, 'code-server.log') });
  const { browser, page } = await openPage();
  try {
    return await watchRun({
      server,
      page,
      extensionPath,
      suiteEntry,
      outDir,
      resultsFile,
      allowEmpty: Boolean(options.grep),
    });
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
    artifacts.publish();
  }
}

/** Loads the workbench with the test payload and follows the results until the end (or a failure). */
async function watchRun({ server, page, extensionPath, suiteEntry, outDir, resultsFile, allowEmpty }) {
  const consoleLog = fs.createWriteStream(path.join(outDir, 'browser-console.log'));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (err) => consoleLog.write(`[pageerror] ${err.stack || err}\n`));
  await page.goto(
    server.workbenchUrl([
      ['extensionDevelopmentPath', server.remoteUri(extensionPath)],
      ['extensionTestsPath', server.remoteUri(suiteEntry)],
    ]),
  );

  const printer = new SpecPrinter();
  let lastEvent = Date.now();
  const poll = follow(resultsFile, (e) => {
    lastEvent = Date.now();
    printer.print(e);
  });
  const began = Date.now();
  let problem = null;
  while (!printer.end && !printer.error && !problem) {
    await sleep(250);
    poll();
    problem = stallReason(printer, server, Date.now() - began, Date.now() - lastEvent, suiteEntry);
  }
  poll();
  await page.screenshot({ path: path.join(outDir, 'workbench-at-end.png') }).catch(() => {});
  consoleLog.end();
  if (printer.error) problem = `the test runner crashed: ${printer.error.stack || printer.error.message}`;
  else if (printer.end && printer.end.tests === 0 && !allowEmpty) problem = 'no extension-host test ran';
  printer.summary();
  if (problem) console.error(`[tier 2] FAILED: ${problem}`);
  else if (printer.failures.length) console.error('[tier 2] FAILED');
  return problem || printer.failures.length > 0 ? 1 : 0;
}

/** Why waiting longer is pointless: tests never started, took too long, or the server died. */
function stallReason(printer, server, waited, idle, suiteEntry) {
  if (!printer.started && waited > START_TIMEOUT_MS) {
    return (
      `the extension host did not start the tests within ${START_TIMEOUT_MS / 1000} s ` +
      `(is ${path.relative(paths.repoRoot, suiteEntry)}.js compiled? see test-results/extension-host/code-server.log)`
    );
  }
  if (printer.started && idle > IDLE_TIMEOUT_MS)
    return `no test finished for ${IDLE_TIMEOUT_MS / 1000} s (a hang, or the extension host died)`;
  if (waited > RUN_TIMEOUT_MS) return `the tests did not finish within ${RUN_TIMEOUT_MS / 1000} s (a hang?)`;
  if (server.child.exitCode !== null) return `code-server exited (${server.child.exitCode}) during the tests`;
  return null;
}

module.exports = { runHostTests };
