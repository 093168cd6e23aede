'use strict';
// Starts a real VS Code (code-server) on a loopback address and a free port, with a fresh user
// data folder and extensions folder, and stops it with the harness.
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');
const { ensureCodeServer, nodeExecutable, node24Env, codeServerEntry } = require('./install');
const { spawnTracked, run, stopGroup, makeTempDir } = require('./processes');

const HOST = '127.0.0.1';

/** Quiet, deterministic workbench: no welcome page, no chat/agent, no trust prompt, no updates. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

/** Asks the OS for a free loopback port. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = /** @type {import('net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh temp folder for one server: user data, extensions (unless given), config, log. */
function freshDirs(extensionsDir) {
  const base = makeTempDir('vscode');
  const userDataDir = path.join(base, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const extDir = extensionsDir || path.join(base, 'extensions');
  fs.mkdirSync(extDir, { recursive: true });
  // Our own config file keeps code-server from writing one into the user's home.
  const configFile = path.join(base, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  return { base, userDataDir, extensionsDir: extDir, configFile };
}

function commonArgs(dirs) {
  return [
    '--config',
    dirs.configFile,
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

/**
 * Polls until the server answers HTTP, or fails when it exits or `timeoutMs` passes.
 * @param {string} url
 * @param {import('child_process').ChildProcess} child
 * @param {string} logFile
 * @param {number} timeoutMs
 * @returns {Promise<void>}
 */
function waitForHttp(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tryOnce = () => {
      if (child.exitCode !== null) {
        reject(new Error(`code-server exited with ${child.exitCode} before listening; log:\n${tail(logFile)}`));
        return;
      }
      const req = http.get(url, (res) => {
        res.resume();
        resolve();
      });
      req.on('error', () => {
        if (Date.now() > deadline)
          reject(new Error(`code-server did not answer on ${url} in ${timeoutMs} ms; log:\n${tail(logFile)}`));
        else setTimeout(tryOnce, 200);
      });
    };
    tryOnce();
  });
}

function tail(file, chars = 4000) {
  try {
    return fs.readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '(no log)';
  }
}

/**
 * Installs a VSIX into an extensions folder with code-server's own CLI, as a user would.
 * @param {string} vsixPath
 * @param {string} extensionsDir
 */
async function installExtension(vsixPath, extensionsDir) {
  await ensureCodeServer();
  const dirs = freshDirs(extensionsDir);
  const { code, output } = await run(
    nodeExecutable(),
    [codeServerEntry(), ...commonArgs(dirs), '--install-extension', vsixPath, '--force'],
    { env: node24Env(), capture: true },
  );
  if (code !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsixPath} failed (exit ${code}):\n${output}`);
  }
}

/**
 * Starts code-server with `folder` open.
 * @param {{ folder: string, extensionsDir?: string, env?: Record<string,string>, logFile?: string }} options
 * @returns {Promise<{ port: number, origin: string, folder: string, dirs: object, logFile: string,
 *   child: import('child_process').ChildProcess,
 *   workbenchUrl: (payload?: Array<[string,string]>) => string, remoteUri: (p: string) => string,
 *   stop: () => Promise<void> }>}
 */
async function startCodeServer({ folder, extensionsDir, env = {}, logFile }) {
  await ensureCodeServer();
  const dirs = freshDirs(extensionsDir);
  const port = await freePort();
  const origin = `http://${HOST}:${port}`;
  const log = logFile || path.join(dirs.base, 'code-server.log');
  fs.mkdirSync(path.dirname(log), { recursive: true });
  const out = fs.openSync(log, 'w');
  const args = [
    codeServerEntry(),
    ...commonArgs(dirs),
    '--auth',
    'none',
    '--bind-addr',
    `${HOST}:${port}`,
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    // Without the smoke-test driver, the web client ignores the `payload` query parameter.
    '--vscode-option',
    'enable-smoke-test-driver',
    folder,
  ];
  // The extension host inherits this environment: that is how the test runner inside it learns
  // where to write its results.
  const child = spawnTracked(nodeExecutable(), args, { env: node24Env(env), stdio: ['ignore', out, out] });
  fs.closeSync(out);
  await waitForHttp(`${origin}/healthz`, child, log, 60_000);
  return {
    port,
    origin,
    folder,
    dirs,
    logFile: log,
    child,
    remoteUri: (p) => `vscode-remote://${HOST}:${port}${path.resolve(p).split(path.sep).join('/')}`,
    workbenchUrl(payload) {
      let url = `${origin}/?folder=${encodeURIComponent(path.resolve(folder))}`;
      if (payload && payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    stop: () => stopGroup(child),
  };
}

module.exports = { startCodeServer, installExtension, freePort, USER_SETTINGS, HOST };
