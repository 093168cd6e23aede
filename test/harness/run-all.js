'use strict';
// `npm test`: every tier. Tier 1 (unit, plain Node mocha, .mocharc.json), then the editor tiers
// (run-editor.js). Fails if any tier fails or runs no test. Arguments as run-editor.js; `--grep`
// applies to every tier. Expects the build and compiled tests (npm's `pretest` does both).
const { runMocha } = require('./mocha');
const { runEditorTiers, parseArgs, printVerdict, timed } = require('./run-editor');
const { stopAll, globalTimeout } = require('./processes');

const TIMEOUT_MS = Number(process.env.GRADIENT_LENS_TEST_TIMEOUT_MS) || 25 * 60_000;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const cancel = globalTimeout(TIMEOUT_MS, 'npm test');
  console.log('\n[tier 1] unit tests (plain Node)');
  const unitArgs = options.grep ? ['--grep', options.grep] : [];
  const unit = await timed(() => runMocha(unitArgs, { name: 'tier 1', allowEmpty: Boolean(options.grep) }));
  const editor = await runEditorTiers(options);
  cancel();
  await stopAll();
  process.exit(printVerdict({ 'tier 1 (unit)': unit, ...editor }));
}

main().catch(async (err) => {
  console.error(`[harness] ${err.stack || err}`);
  await stopAll();
  process.exit(1);
});
