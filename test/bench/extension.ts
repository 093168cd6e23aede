// The extension's work after an edit, as the LensStore does it once the debounce elapses: analyse
// the whole document and format every CodeLens title. The goal: a 10,000-line file with
// 500 annotations stays well under the 250 ms debounce. The same text split into notebook cells
// goes through analyzeCells, as a notebook does.
import { analyzeCells, analyzeText, type AnalyzeOptions } from '../../src/core';
import { valuesTitle } from '../../src/text/lensTitle';
import { formatMs, table, time, type BenchSection } from './timing';

const LINES = 10_000;
const ANNOTATIONS = 500;
const DEBOUNCE_MS = 250;
/** What the LensStore passes for a Python file with the default settings. */
const OPTIONS: AnalyzeOptions = {
  tag: '@grad',
  gradcheck: { enabled: true, rtol: 1e-3, atol: 1e-5 },
  comments: 'hash',
};

/** Blocks of 20 lines: a micrograd neuron annotated at its output, then ordinary code. */
function largeFile(): string {
  const lines: string[] = [];
  for (let k = 0; lines.length < LINES; k++) {
    lines.push(
      `x1_${k} = Value(${((k % 7) / 3).toFixed(3)}, label='x1')`,
      `w1_${k} = Value(-3.0, label='w1')`,
      `n_${k} = x1_${k}*w1_${k} + 0.5`,
      k < ANNOTATIONS ? `o_${k} = n_${k}.tanh()  # @grad` : `o_${k} = n_${k}.tanh()`,
    );
    for (let filler = 0; filler < 16; filler++) lines.push(`print(o_${k}, "step ${filler}")`);
  }
  return lines.slice(0, LINES).join('\n');
}

function splitIntoCells(text: string, linesPerCell: number): string[] {
  const lines = text.split('\n');
  const cells: string[] = [];
  for (let i = 0; i < lines.length; i += linesPerCell) cells.push(lines.slice(i, i + linesPerCell).join('\n'));
  return cells;
}

// No forced full GC before each run (unlike the other sections): the editor does not collect
// before each analysis, and here a run right after a full collection measured ~5x slower (the
// shrunken heap grows again), which would misstate what a user sees.
const RUNS = { warmup: 3, runs: 11, collect: false };

export const extensionBench: BenchSection = async () => {
  const text = largeFile();
  const cells = splitIntoCells(text, 50);
  const lensCount = analyzeText(text, OPTIONS).length;
  if (lensCount !== ANNOTATIONS) throw new Error(`expected ${ANNOTATIONS} lenses, got ${lensCount}`);
  const update = time(() => analyzeText(text, OPTIONS).forEach((lens) => valuesTitle(lens, 4, 8)), RUNS);
  const notebook = time(() => analyzeCells(cells, OPTIONS), RUNS);
  const withoutGradcheck = time(() => analyzeText(text, { ...OPTIONS, gradcheck: { enabled: false } }), RUNS);
  return [
    `${LINES.toLocaleString('en-US')} lines, ${ANNOTATIONS} annotations (goal: well under the ${DEBOUNCE_MS} ms debounce)`,
    ...table([
      ['work after an edit', 'median'],
      ['analyse + format every CodeLens title', formatMs(update.medianMs)],
      ['the same without gradcheck', formatMs(withoutGradcheck.medianMs)],
      [`as a notebook of ${cells.length} cells (analyzeCells)`, formatMs(notebook.medianMs)],
    ]),
    `ratio to the debounce: ${(update.medianMs / DEBOUNCE_MS).toFixed(2)}×`,
  ];
};
