// Pure builders of the hover's Markdown text (no vscode): the provider wraps them in a
// MarkdownString. Names and expressions come from the user's file, so they only ever appear
// escaped or inside a code block.
import type { Lens, OpSite, VariableResult } from '../core';
import { displayNumber, partial } from './lensTitle';
import { explanationLines } from './explainText';
import { describeOp } from './opDescriptions';

/** A name in the annotated statement or in an assignment it uses. */
export function variableHover(lens: Lens, variable: VariableResult, precision: number): string {
  const number = (value: number) => displayNumber(value, precision);
  const kind = variable.leaf ? 'leaf' : 'intermediate';
  const line = variable.definedAt.start.line + 1;
  const cell = variable.definedAt.cell === undefined ? '' : ` of code cell ${variable.definedAt.cell + 1}`;
  const where =
    variable.definedBy === 'binding'
      ? `bound in the annotation on line ${line}${cell}`
      : variable.definedBy === 'call'
        ? `from the call on line ${line}${cell}`
        : `assigned on line ${line}${cell}`;
  const lines = [
    `${variable.name} = ${number(variable.value)}`,
    // The chain rule with the numbers, each use when there are several, and why it is 0 or tiny.
    ...explanationLines(lens, variable, precision),
  ];
  return [header(lens, `${inlineCode(variable.name)} · ${kind} · ${where}`), codeBlock(lines)].join('\n\n');
}

/** The whole lens, over its target or its annotation: every variable (the CodeLens caps the list) and the gradcheck. */
export function lensHover(lens: Lens, precision: number): string {
  const number = (value: number) => displayNumber(value, precision);
  const lines = [`${lens.target} = ${lens.value === null ? 'no value' : number(lens.value)}`];
  for (const variable of lens.variables) {
    const kind = variable.leaf ? 'leaf' : 'intermediate';
    lines.push(
      `${partial(lens.target, variable.name)} = ${number(variable.grad)}    (${variable.name} = ${number(variable.value)}, ${kind})`,
    );
  }
  lines.push(...gradcheckLines(lens, precision));
  lines.push(...lens.problems.map((problem) => `${problem.severity}: ${problem.message}`));
  return [header(lens, `${inlineCode(lens.target)} · ${lens.variables.length} variables`), codeBlock(lines)].join(
    '\n\n',
  );
}

function gradcheckLines(lens: Lens, precision: number): string[] {
  const check = lens.gradcheck;
  if (!check) return [];
  const summary = `gradcheck ${check.ok ? '✓' : '✗'}  max relative error ${check.maxRelError.toExponential(1)}`;
  const doubtful = check.entries
    .filter((entry) => !entry.ok)
    .map((entry) => {
      const numeric = entry.numeric === null ? 'none' : displayNumber(entry.numeric, precision);
      return `  ${entry.name}: analytic ${displayNumber(entry.analytic, precision)}, numeric ${numeric}${entry.note ? ` (${entry.note})` : ''}`;
    });
  return [summary, ...doubtful];
}

/** An operator or function: its local derivatives from the seed's table, with the numbers filled in. */
export function opHover(lens: Lens, site: OpSite, token: string, precision: number): string {
  const number = (value: number) => displayNumber(value, precision);
  const description = describeOp(site);
  const operands = site.inputs.map((value, index) => `${index === 0 ? 'a' : 'b'} = ${number(value)}`);
  if (site.op === 'pow' && site.exponent !== undefined) operands.push(`n = ${number(site.exponent)}`);
  const lines = [
    `${description.forward}    (${operands.join(', ')}, c = ${number(site.output)})`,
    ...description.derivatives.map((each) => `∂c/∂${each.input} = ${each.formula} = ${number(each.value)}`),
    `upstream ${partial(lens.target, 'c')} = ${number(site.grad)}`,
    ...description.derivatives.map(
      (each) =>
        `∂${lens.target}/∂${each.input} += ${number(each.value)} × ${number(site.grad)} = ${number(each.value * site.grad)}`,
    ),
  ];
  const composite = site.composite
    ? `${site.composite.name}, a composite of the seed's ops (${site.composite.ops.join(', ')}; the graph shows each): this is its ${description.title}`
    : description.title;
  return [header(lens, `${inlineCode(token)} · ${composite}`), codeBlock(lines)].join('\n\n');
}

function header(lens: Lens, subject: string): string {
  return `**Gradient Lens** · ${subject} · in ${inlineCode(lens.target)} (line ${lens.line + 1})`;
}

/** Inline code that survives any backticks in the text. */
export function inlineCode(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  const fence = '`'.repeat(longestBacktickRun(oneLine) + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
export function codeBlock(lines: string[]): string {
  const body = lines.join('\n');
  const fence = '`'.repeat(Math.max(2, longestBacktickRun(body)) + 1);
  return `${fence}text\n${body}\n${fence}`;
}

/**
 * The longest run of backticks in `text`, by a loop: spreading every run into Math.max's
 * arguments overflows the call stack at about 200k runs, and the text is the user's.
 */
function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = text.charCodeAt(i) === 96 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
