// Hostile and extreme inputs, generated: the cases that once cost seconds or gigabytes. Shared by
// the unit tests (which check what each gives) and the bench (which measures time and peak memory).

export interface HostileInput {
  name: string;
  text: string;
  /** Unset: a file of no known language (both comment styles are read). */
  comments?: 'hash' | 'slash';
}

/** A comment that mentions the tag many times: once quadratic in the line's length. */
export function tagMentions(kilobytes: number): HostileInput {
  const phrase = 'the @grad tag ';
  return {
    name: `a ${kilobytes} KB comment mentioning @grad`,
    text: `# ${phrase.repeat(Math.ceil((kilobytes * 1024) / phrase.length))}\nx = 1\n`,
    comments: 'hash',
  };
}

/** Many `stmt; /* @grad *\/` pairs on one JavaScript line: once quadratic too. */
export function statementsOnOneLine(pairs: number): HostileInput {
  return {
    name: `${pairs.toLocaleString('en-US')} annotated statements on one JS line`,
    text: `let x = 1; ${'y = x * 2; /* @grad */ '.repeat(pairs)}\n`,
    comments: 'slash',
  };
}

/** One statement `x + x + … + x`: once 12–14 s and 1.7 GB at 800k terms. */
export function longSum(terms: number): HostileInput {
  return {
    name: `one ${terms.toLocaleString('en-US')}-term sum`,
    text: `x = 2.0\ny = ${Array<string>(terms).fill('x').join(' + ')}  # @grad\n`,
    comments: 'hash',
  };
}

/** Megabytes of NUL bytes: once about 1 GB of tokens. */
export function nulBytes(megabytes: number): HostileInput {
  return {
    name: `${megabytes} MB of NUL bytes`,
    text: `x = 1\n${'\0'.repeat(megabytes * 1024 * 1024)}\n`,
    comments: 'hash',
  };
}

/** A chain with a lens on every line: lens k expands k statements. */
export function annotatedChain(lines: number): HostileInput {
  const out = ['x0 = 1.5'];
  for (let i = 1; i < lines; i++) out.push(`x${i} = x${i - 1} * 0.999 + 0.001  # @grad`);
  return {
    name: `a ${lines.toLocaleString('en-US')}-line chain, a lens on every line`,
    text: out.join('\n') + '\n',
    comments: 'hash',
  };
}

/** A thousand functions with a lens each, reading a module name: once a rescan of scopes per lookup. */
export function functionsWithLenses(functions: number): HostileInput {
  const lines: string[] = ['w = 2.0'];
  for (let k = 0; k < functions; k++) lines.push(`def f${k}(x):`, `    h = w * ${k}`, `    return h * x  # @grad x=1`);
  return {
    name: `${functions.toLocaleString('en-US')} functions with a lens each`,
    text: lines.join('\n') + '\n',
    comments: 'hash',
  };
}

/** A long sum of a module name deep inside many JS blocks: once a walk of the blocks per use. */
export function sumInsideBlocks(blocks: number): HostileInput {
  const uses = Array<string>(2 * blocks)
    .fill('a')
    .join(' + ');
  return {
    name: `a ${(2 * blocks).toLocaleString('en-US')}-term sum inside ${blocks.toLocaleString('en-US')} blocks`,
    text: `const a = 1;\n${'{ let q = 1;\n'.repeat(blocks)}const y = ${uses}; // @grad\n`,
    comments: 'slash',
  };
}

/** As sumInsideBlocks, beside thousands of functions that assign the same name. */
export function sumBesideAssigningFunctions(functions: number): HostileInput {
  const uses = Array<string>(4 * functions)
    .fill('x')
    .join(' + ');
  return {
    name: `a ${(4 * functions).toLocaleString('en-US')}-term sum beside ${functions.toLocaleString('en-US')} functions assigning it`,
    text: `${'function f() { x = 1; }\n'.repeat(functions)}let x = 2;\n${'{\n'.repeat(functions)}const y = ${uses}; // @grad\n`,
    comments: 'slash',
  };
}

/** Stray `}` below thousands of open Python blocks, in a file of no known language. */
export function strayClosers(blocks: number): HostileInput {
  const defs = Array.from({ length: blocks }, (_, k) => `${' '.repeat(k)}def f${k}(x${k}):`).join('\n');
  return {
    name: `200,000 stray closers below ${blocks.toLocaleString('en-US')} open Python blocks`,
    text: `${defs}\n${' '.repeat(blocks)}${'}'.repeat(200_000)}\n${' '.repeat(blocks)}return x0 * 2  # @grad x0=1\n`,
  };
}

/** Thousands of loops, each a lens on a name the loop body updates: once quadratic in loops. */
export function loopsWithLenses(loops: number): HostileInput {
  const lines: string[] = ['w = 2.0'];
  for (let k = 0; k < loops; k++)
    lines.push(`for v${k} in vs:`, `    s${k} = w * ${k}`, `    y${k} = s${k} * 2  # @grad`);
  return {
    name: `${loops.toLocaleString('en-US')} loops with a lens each`,
    text: lines.join('\n') + '\n',
    comments: 'hash',
  };
}

/** A lens deep inside thousands of nested JS loops, reading a name the outermost loop updates. */
export function nestedLoops(loops: number): HostileInput {
  const uses = Array<string>(loops).fill('s').join(' + ');
  return {
    name: `a lens inside ${loops.toLocaleString('en-US')} nested loops`,
    text: `let s = 1;\n${'for (;;) {\n'.repeat(loops)}const y = ${uses}; // @grad\n${'}\n'.repeat(loops - 1)}s = 2;\n}\n`,
    comments: 'slash',
  };
}
