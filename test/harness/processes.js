'use strict';
// Every process the harness starts runs in its own process group and is stopped when the
// harness exits, however it exits: normal end, failure, exception, Ctrl-C, SIGTERM or a timeout.
// code-server forks an extension host, a file watcher and ptys; killing the group gets them all.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/** @type {Set<import('child_process').ChildProcess>} */
const live = new Set();
/** @type {Array<() => (void | Promise<void>)>} */
const cleanups = [];
let installed = false;
let stopping = false;
/** Temp folders (user data, fixture copies, packaged VSIX) removed on exit. */
const tempDirs = new Set();

/** Kills a process group at once; used on the way out, where only synchronous calls run. */
function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Stops one group: SIGTERM, then SIGKILL if it is still there after `graceMs`.
 * @param {import('child_process').ChildProcess} child
 * @returns {Promise<void>}
 */
function stopGroup(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      resolve();
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** Registers an async cleanup (closing a browser, ...) run before the groups are stopped. */
function onCleanup(fn) {
  installHandlers();
  cleanups.push(fn);
}

/** Runs the cleanups and stops every live group. Safe to call more than once. */
async function stopAll() {
  stopping = true;
  for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) {
    try {
      await fn();
    } catch {
      /* best effort: the groups are killed next */
    }
  }
  await Promise.all([...live].map((child) => stopGroup(child)));
}

function installHandlers() {
  if (installed) return;
  installed = true;
  // Last resort: `exit` handlers may only do synchronous work, so kill outright.
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
    if (!process.env.GRADIENT_LENS_KEEP_TEMP) {
      for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\n[harness] ${signal}: stopping everything the tests started`);
      stopAll().finally(() => process.exit(130));
    });
  }
  process.on('uncaughtException', (err) => {
    console.error('[harness] uncaught exception:', err);
    stopAll().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (err) => {
    console.error('[harness] unhandled rejection:', err);
    stopAll().finally(() => process.exit(1));
  });
}

/**
 * Spawns a command in its own process group and tracks it until it exits.
 * @param {string} command
 * @param {string[]} args
 * @param {import('child_process').SpawnOptions} [options]
 */
function spawnTracked(command, args, options = {}) {
  installHandlers();
  const child = spawn(command, args, { ...options, detached: true });
  live.add(child);
  child.on('exit', () => live.delete(child));
  child.on('error', () => live.delete(child));
  return child;
}

/**
 * Runs a command to completion, its output passed through, or captured (and with `echo`, also
 * shown), and resolves with its exit code.
 * @param {string} command
 * @param {string[]} args
 * @param {import('child_process').SpawnOptions & { capture?: boolean, echo?: boolean }} [options]
 * @returns {Promise<{ code: number, output: string }>}
 */
function run(command, args, { capture = false, echo = false, ...options } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(command, args, { ...options, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) {
      // `echo` shows the output live as well as capturing it.
      child.stdout?.on('data', (d) => {
        output += d;
        if (echo) process.stdout.write(d);
      });
      child.stderr?.on('data', (d) => {
        output += d;
        if (echo) process.stderr.write(d);
      });
    }
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/**
 * Fails the whole run if it is not over in `ms`: a hang must fail, not wait for CI's limit.
 * Returns a function that cancels the timer.
 */
function globalTimeout(ms, what) {
  installHandlers();
  const timer = setTimeout(() => {
    console.error(`\n[harness] ${what} did not finish in ${Math.round(ms / 1000)} s: failing and stopping everything`);
    stopAll().finally(() => process.exit(1));
  }, ms);
  return () => clearTimeout(timer);
}

/** A fresh folder under the OS temp dir, removed when the harness exits (GRADIENT_LENS_KEEP_TEMP=1 keeps it). */
function makeTempDir(prefix) {
  installHandlers();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gradient-lens-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

/** True once the harness has begun stopping everything: exits after that are expected. */
const isStopping = () => stopping;

module.exports = { spawnTracked, run, stopAll, stopGroup, onCleanup, globalTimeout, isStopping, makeTempDir };
