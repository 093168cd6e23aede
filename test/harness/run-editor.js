'use strict';
// `npm run test:editor`: tier 2 (extension-host tests) then tier 3 (UI tests), each in a fresh real
// VS Code. Usage: node test/harness/run-editor.js [--grep <pattern>] [--tier host|e2e]
// Expects `npm run build && npm run compile-tests` first (the npm scripts do it).
const { runHostTests } = require('./run-host-tests');
const { runE2e } = require('./run-e2e');
const { ensureCodeServer } = require('./install');
const { stopAll, globalTimeout } = require('./processes');

const TIMEOUT_MS = Number(process.env.GRADIENT_LENS_EDITOR_TIMEOUT_MS) || 20 * 60_000;

function parseArgs(argv) {
  const options = { grep: undefined, tiers: ['host', 'e2e'] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--grep' || arg === '-g') options.grep = argv[++i];
    else if (arg.startsWith('--grep=')) options.grep = arg.slice('--grep='.length);
    else if (arg === '--tier') options.tiers = [argv[++i]];
    else if (arg.startsWith('--tier=')) options.tiers = [arg.slice('--tier='.length)];
    else throw new Error(`unknown argument ${arg} (expected --grep <pattern> or --tier host|e2e)`);
  }
  for (const tier of options.tiers) if (!['host', 'e2e'].includes(tier)) throw new Error(`unknown tier ${tier}`);
  return options;
}

/** Runs the editor tiers and returns how each ended (0 = passed). */
async function runEditorTiers(options) {
  const results = {};
  await ensureCodeServer();
  if (options.tiers.includes('host'))
    results['tier 2 (extension host)'] = await timed(() => runHostTests({ grep: options.grep }));
  if (options.tiers.includes('e2e')) results['tier 3 (UI)'] = await timed(() => runE2e({ grep: options.grep }));
  return results;
}

async function timed(fn) {
  const start = Date.now();
  let code;
  try {
    code = await fn();
  } catch (/** @type {any} */ err) {
    console.error(`[harness] ${err.stack || err}`);
    code = 1;
  }
  return { code, seconds: Math.round((Date.now() - start) / 1000) };
}

function printVerdict(results) {
  console.log('\n[harness] summary');
  for (const [tier, { code, seconds }] of Object.entries(results)) {
    console.log(`  ${code === 0 ? 'passed' : 'FAILED'}  ${tier}  (${seconds} s)`);
  }
  return Object.values(results).every((r) => r.code === 0) ? 0 : 1;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const cancel = globalTimeout(TIMEOUT_MS, 'the editor tests');
  const results = await runEditorTiers(options);
  cancel();
  await stopAll();
  process.exit(printVerdict(results));
}

module.exports = { runEditorTiers, parseArgs, printVerdict, timed };

if (require.main === module) {
  main().catch(async (err) => {
    console.error(`[harness] ${err.stack || err}`);
    await stopAll();
    process.exit(1);
  });
}
