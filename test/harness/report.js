'use strict';
// Prints the extension-host results (JSON lines written by test/suite/index.ts) the way mocha's
// spec reporter does, ending with its usual `N passing` summary.

const GREEN = '\x1b[32m',
  RED = '\x1b[31m',
  CYAN = '\x1b[36m',
  GREY = '\x1b[90m',
  RESET = '\x1b[0m';
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (c, s) => (color ? c + s + RESET : s);
const indent = (depth) => '  '.repeat(depth + 1);

function formatDuration(ms) {
  return ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${ms}ms`;
}

/** Turns each result event into the line mocha's spec reporter would print, and keeps the tally. */
class SpecPrinter {
  constructor(write = (s) => process.stdout.write(s)) {
    this.write = write;
    this.failures = [];
    this.end = null;
    this.error = null;
    this.started = false;
  }

  /** @param {any} e one ResultEvent */
  print(e) {
    switch (e.event) {
      case 'start':
        this.started = true;
        this.write('\n');
        break;
      case 'suite':
        this.write(`${e.depth === 0 ? '\n' : ''}${indent(e.depth)}${e.title}\n`);
        break;
      case 'pass':
        this.write(
          `${indent(e.depth)}${paint(GREEN, '✔')} ${paint(GREY, e.title)}${e.duration > 75 ? paint(GREY, ` (${e.duration}ms)`) : ''}\n`,
        );
        break;
      case 'pending':
        this.write(`${indent(e.depth)}${paint(CYAN, `- ${e.title}`)}\n`);
        break;
      case 'fail':
        this.failures.push(e);
        this.write(`${indent(e.depth)}${paint(RED, `${this.failures.length}) ${e.title}`)}\n`);
        break;
      case 'end':
        this.end = e;
        break;
      case 'error':
        this.error = e;
        break;
      default:
        break;
    }
  }

  /** mocha's epilogue: passing, pending, failing, then each failure in full. */
  summary() {
    const e = this.end || { passes: 0, failures: this.failures.length, pending: 0, duration: 0 };
    this.write(`\n  ${paint(GREEN, `${e.passes} passing`)} ${paint(GREY, `(${formatDuration(e.duration)})`)}\n`);
    if (e.pending) this.write(`  ${paint(CYAN, `${e.pending} pending`)}\n`);
    if (this.failures.length) this.write(`  ${paint(RED, `${this.failures.length} failing`)}\n`);
    this.failures.forEach((f, i) => {
      this.write(`\n  ${i + 1}) ${f.fullTitle}:\n${paint(RED, `     ${f.message.split('\n').join('\n     ')}`)}\n`);
      const frames = f.stack
        .split('\n')
        .filter((l) => /^\s+at /.test(l))
        .slice(0, 8);
      if (frames.length) this.write(paint(GREY, frames.map((l) => `      ${l.trim()}`).join('\n')) + '\n');
    });
    this.write('\n');
  }
}

module.exports = { SpecPrinter };
