// The dialect corpus (test/fixtures/dialects/): micrograd code in the styles of public ports, with
// every value and gradient computed independently by reference.py. Today the analysis gets only
// some of these sites right; what it must never do is show a number that is wrong. So every site
// is either right (within the corpus's tolerance), or refused with an error that says why; a site
// marked "unknowable" must never get a number. The count of right sites may only grow.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeCells, analyzeText, type Lens } from '../../../src/core';

const DIR = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'dialects');

interface Site {
  file: string;
  cell?: number;
  line: number;
  target: string;
  value?: number;
  grads?: Record<string, number>;
  unknowable?: string;
}

/** Sites the analysis gets right today; raise it as the analysis learns more dialects. */
const RIGHT_AT_LEAST = 68;

function lensesOf(file: string): Lens[][] {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  if (!file.endsWith('.ipynb')) return [analyzeText(text, { comments: file.endsWith('.py') ? 'hash' : 'slash' })];
  const notebook = JSON.parse(text) as {
    metadata?: { language_info?: { name?: string } };
    cells: { cell_type: string; source: string | string[] }[];
  };
  const language = notebook.metadata?.language_info?.name ?? 'python';
  // Every cell keeps its index (markdown as an empty cell), as the corpus numbers cells.
  const cells = notebook.cells.map((cell) =>
    cell.cell_type === 'code' ? (Array.isArray(cell.source) ? cell.source.join('') : cell.source) : '',
  );
  return analyzeCells(cells, { comments: language === 'python' ? 'hash' : 'slash' });
}

function close(got: number, want: number): boolean {
  return Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
}

/** 'right', 'refused' (no number, with an error), or why the site is wrong. */
function judge(site: Site, lens: Lens | undefined): string {
  if (!lens || lens.value === null) {
    if (lens && !lens.problems.some((p) => p.severity === 'error')) return 'no value and no error';
    return 'refused';
  }
  if (site.unknowable !== undefined) return `a number (${lens.value}) where none can be known: ${site.unknowable}`;
  if (!close(lens.value, site.value!)) return `value ${lens.value}, want ${site.value}`;
  for (const [name, want] of Object.entries(site.grads ?? {})) {
    const variable = lens.variables.find((v) => v.name === name);
    if (variable && !close(variable.grad, want)) return `∂/∂${name} = ${variable.grad}, want ${want}`;
  }
  return 'right';
}

describe('core: the dialect corpus never gets a wrong number', () => {
  const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as { sites: Site[] };
  const cache = new Map<string, Lens[][]>();
  const verdicts = expected.sites.map((site) => {
    if (!cache.has(site.file)) cache.set(site.file, lensesOf(site.file));
    const perCell = cache.get(site.file)!;
    const lenses = perCell[site.cell === undefined ? 0 : site.cell - 1] ?? [];
    const lens = lenses.find((each) => each.line === site.line - 1);
    return { site, verdict: judge(site, lens) };
  });

  for (const { site, verdict } of verdicts) {
    const where = `${site.file}${site.cell === undefined ? '' : ` cell ${site.cell}`}:${site.line} (${site.target})`;
    it(`${where}: right or refused`, () => {
      assert.ok(verdict === 'right' || verdict === 'refused', verdict);
    });
  }

  it(`gets at least ${RIGHT_AT_LEAST} of the sites right`, () => {
    const right = verdicts.filter((v) => v.verdict === 'right').length;
    assert.ok(right >= RIGHT_AT_LEAST, `${right} right`);
  });
});
