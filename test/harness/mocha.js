'use strict';
// Runs mocha in a child process (its own process group), shows its report as it comes, and
// reads the summary back, so a tier that runs no test fails like a tier with failures.
const path = require('path');
const { repoRoot } = require('./paths');
const { run } = require('./processes');

const MOCHA_BIN = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');

/** Parses mocha's epilogue ("12 passing (3s)", "1 pending", "2 failing"). */
function parseSummary(output) {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const count = (word) => {
    const all = [...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  };
  return { passing: count('passing'), pending: count('pending'), failing: count('failing') };
}

/**
 * @param {string[]} args mocha's arguments
 * @param {{ env?: NodeJS.ProcessEnv, name: string, allowEmpty?: boolean }} options `allowEmpty`
 *   when a --grep may legitimately match nothing in this tier
 * @returns {Promise<number>} 0 when mocha passed and ran at least one test
 */
async function runMocha(args, { env = process.env, name, allowEmpty = false }) {
  const colour = process.stdout.isTTY && !process.env.NO_COLOR ? ['--color'] : [];
  const child = run(process.execPath, [MOCHA_BIN, ...colour, ...args], {
    env,
    cwd: repoRoot,
    capture: true,
    echo: true,
  });
  const { code, output } = await child;
  const summary = parseSummary(output);
  if (code === 0 && summary.passing === 0 && !allowEmpty) {
    console.error(`[${name}] FAILED: no test ran`);
    return 1;
  }
  if (code !== 0) console.error(`[${name}] FAILED (mocha exit ${code})`);
  return code;
}

module.exports = { runMocha, parseSummary, MOCHA_BIN };
