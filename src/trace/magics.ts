// IPython's own syntax in a notebook cell (`%matplotlib inline`, `!pip install …`, `%%bash`,
// `files = !ls`, `obj?`) is not Python: the tracer runs plain Python, so these lines are blanked
// before the run and reported, line by line. Blanking keeps every line, so line numbers (and the
// columns of every other line) stay the same; an indented magic becomes `pass` at its indentation,
// so a block that held only the magic still parses.

/** Cell magics whose body is Python that IPython runs (timed, captured, profiled): only their first line is blanked. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun']);

const LINE_MAGIC = /^\s*(?:[%!]|[A-Za-z_][\w.]*\s*=\s*[%!])/;
const HELP = /^\s*\?*[A-Za-z_][\w.]*\?{1,2}\s*$|^\s*\?+[A-Za-z_][\w.]*\s*$/;
const CELL_MAGIC = /^\s*%%(\w+)/;

export interface BlankedCell {
  source: string;
  /** 0-based lines that were blanked. */
  lines: number[];
}

/** The cell with its IPython-only lines blanked, and which lines those were. */
export function blankMagics(source: string): BlankedCell {
  const parts = source.split(/(\r\n|\r|\n)/);
  // parts: line, break, line, break, …, line
  const lines: number[] = [];
  const firstLine = parts.findIndex((p, k) => k % 2 === 0 && p.trim() !== '');
  const cellMagic = firstLine >= 0 ? CELL_MAGIC.exec(parts[firstLine]) : null;
  const wholeCell = cellMagic !== null && !PYTHON_BODY_CELL_MAGICS.has(cellMagic[1]);
  for (let k = 0; k < parts.length; k += 2) {
    const text = parts[k];
    const magic =
      (wholeCell && text.trim() !== '') ||
      (k === firstLine && cellMagic !== null) ||
      LINE_MAGIC.test(text) ||
      HELP.test(text);
    if (!magic) continue;
    const indent = /^\s*/.exec(text)![0];
    parts[k] = indent === '' || wholeCell ? '' : `${indent}pass`;
    lines.push(k / 2);
  }
  return { source: parts.join(''), lines };
}
