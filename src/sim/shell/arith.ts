/** `$(( ))` arithmetic: integers, + - * / % ** , comparisons, logic, parentheses, variables. */
export function evalArith(expr: string, lookup: (name: string) => string): number {
  const toks = expr.match(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<=|>=|==|!=|&&|\|\||[-+*/%()<>!])/g);
  if (!toks || toks.join('').replace(/\s/g, '') !== expr.replace(/\s/g, '')) throw new Error('syntax error in expression');
  const t = toks.map((s) => s.trim());
  let i = 0;
  const peek = (): string | undefined => t[i];
  const next = (): string => t[i++];
  const value = (name: string): number => {
    const v = lookup(name);
    const n = Number(v || '0');
    return Number.isFinite(n) ? Math.trunc(n) : 0;
  };
  const primary = (): number => {
    const tok = next();
    if (tok === undefined) throw new Error('syntax error: operand expected');
    if (tok === '(') {
      const v = or();
      if (next() !== ')') throw new Error('syntax error: missing )');
      return v;
    }
    if (tok === '-') return -primary();
    if (tok === '+') return primary();
    if (tok === '!') return primary() ? 0 : 1;
    if (/^\d+$/.test(tok)) return Number(tok);
    if (/^[A-Za-z_]/.test(tok)) return value(tok);
    throw new Error(`syntax error: operand expected (error token is "${tok}")`);
  };
  const power = (): number => {
    const b = primary();
    if (peek() === '**') {
      next();
      return b ** power();
    }
    return b;
  };
  const mul = (): number => {
    let v = power();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = next();
      const r = power();
      if ((op === '/' || op === '%') && r === 0) throw new Error('division by 0');
      v = op === '*' ? v * r : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const add = (): number => {
    let v = mul();
    while (peek() === '+' || peek() === '-') v = next() === '+' ? v + mul() : v - mul();
    return v;
  };
  const cmp = (): number => {
    let v = add();
    while (['<', '>', '<=', '>=', '==', '!='].includes(peek() ?? '')) {
      const op = next();
      const r = add();
      v = Number(op === '<' ? v < r : op === '>' ? v > r : op === '<=' ? v <= r : op === '>=' ? v >= r : op === '==' ? v === r : v !== r);
    }
    return v;
  };
  const and = (): number => {
    let v = cmp();
    while (peek() === '&&') {
      next();
      const r = cmp();
      v = Number(!!v && !!r);
    }
    return v;
  };
  const or = (): number => {
    let v = and();
    while (peek() === '||') {
      next();
      const r = and();
      v = Number(!!v || !!r);
    }
    return v;
  };
  if (!t.length) return 0;
  const v = or();
  if (i < t.length) throw new Error(`syntax error in expression (error token is "${t[i]}")`);
  return v;
}
