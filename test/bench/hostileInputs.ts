// Hostile and extreme inputs, generated: the cases that once cost seconds or gigabytes. Shared by
// the unit tests (which check what each gives) and the bench (which measures time and peak memory).

export interface HostileInput {
  name: string;
  text: string;
  comments: 'hash' | 'slash';
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
