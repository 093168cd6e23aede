// Evaluates the text of a symbolic partial (`x1 · (1 − o²)`, `[n > 0]`, `exp(−(x * w))/(1 + …)²`)
// with the lens's own numbers, so a test can check that the formula, read as written, is the
// gradient. It reads what the explanation writes: names, numbers, + − - · * / ** ^, superscript
// powers, [a > 0], exp/log/tanh/relu as functions or methods, and ∂t/∂name (that gradient).

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

export interface FormulaEnv {
  values: Map<string, number>;
  grads: Map<string, number>;
}

const FUNCTIONS: Record<string, (x: number, y?: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  relu: (x) => (x > 0 ? x : 0),
  // Composites that a formula quotes as the user wrote them (`abs(y) · x`).
  abs: Math.abs,
  min: (x, y) => Math.min(x, y!),
  max: (x, y) => Math.max(x, y!),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  softplus: (x) => Math.log(1 + Math.exp(x)),
};

export function evaluateFormula(text: string, env: FormulaEnv): number {
  const s = text.replace(/\u2212/g, '-');
  let pos = 0;
  const peek = () => s[pos];
  const skip = () => {
    while (s[pos] === ' ') pos++;
  };
  const fail = (why: string): never => {
    throw new Error(`cannot read the formula ${JSON.stringify(text)} at ${pos}: ${why}`);
  };
  const expect = (ch: string) => {
    skip();
    if (s[pos] !== ch) fail(`expected ${ch}`);
    pos++;
  };

  function sum(): number {
    let v = product();
    for (;;) {
      skip();
      if (peek() === '+') {
        pos++;
        v += product();
      } else if (peek() === '-' && s[pos + 1] !== '>') {
        pos++;
        v -= product();
      } else return v;
    }
  }

  function product(): number {
    let v = unary();
    for (;;) {
      skip();
      if (s.startsWith('**', pos)) return v; // handled in power
      const ch = peek();
      if (ch === '·' || ch === '*') {
        pos++;
        v *= unary();
      } else if (ch === '/') {
        pos++;
        v /= unary();
      } else return v;
    }
  }

  function unary(): number {
    skip();
    if (peek() === '-') {
      pos++;
      return -unary();
    }
    return power();
  }

  function power(): number {
    let v = postfix();
    for (;;) {
      skip();
      if (s.startsWith('**', pos)) {
        pos += 2;
        v = v ** unary();
      } else if (peek() === '^') {
        pos++;
        v = v ** postfix();
      } else return v;
    }
  }

  function postfix(): number {
    let v = primary();
    for (;;) {
      if (s[pos] === '⁻' || SUPERSCRIPTS.includes(s[pos] ?? 'x')) {
        let sign = 1;
        if (s[pos] === '⁻') {
          sign = -1;
          pos++;
        }
        let digits = '';
        while (SUPERSCRIPTS.includes(s[pos] ?? 'x')) digits += String(SUPERSCRIPTS.indexOf(s[pos++]));
        v = v ** (sign * Number(digits));
      } else if (s[pos] === '.' && /[a-z]/.test(s[pos + 1] ?? '')) {
        pos++;
        const name = /^[a-z]+/.exec(s.slice(pos))![0];
        pos += name.length;
        expect('(');
        expect(')');
        v = (FUNCTIONS[name] ?? fail(`unknown method ${name}`))(v);
      } else return v;
    }
  }

  function primary(): number {
    skip();
    const ch = peek();
    if (ch === '(') {
      pos++;
      const v = sum();
      expect(')');
      return v;
    }
    if (ch === '[') {
      pos++;
      const v = sum();
      skip();
      if (s[pos] !== '>') fail('expected >');
      pos++;
      const bound = sum();
      expect(']');
      return v > bound ? 1 : 0;
    }
    if (ch === '∂') {
      const m = /^∂\(?([^/)]+)\)?\/∂\(?([^)·\s]+)\)?/.exec(s.slice(pos)) ?? fail('a partial');
      pos += m[0].length;
      return env.grads.get(m[2]) ?? fail(`no gradient for ${m[2]}`);
    }
    const number = /^[0-9]+(\.[0-9]*)?(e[+-]?[0-9]+)?/.exec(s.slice(pos));
    if (number) {
      pos += number[0].length;
      return Number(number[0]);
    }
    const name = /^[\p{L}_$][\p{L}\p{Nd}_$]*/u.exec(s.slice(pos));
    if (name) {
      pos += name[0].length;
      if (s[pos] === '(' && name[0] in FUNCTIONS) {
        pos++;
        const x = sum();
        skip();
        let y: number | undefined;
        if (s[pos] === ',') {
          pos++;
          y = sum();
        }
        expect(')');
        return FUNCTIONS[name[0]](x, y);
      }
      const v = env.values.get(name[0]);
      return v ?? fail(`no value for ${name[0]}`);
    }
    return fail('unexpected character');
  }

  const v = sum();
  skip();
  if (pos !== s.length) fail('trailing text');
  return v;
}
