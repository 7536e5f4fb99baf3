/**
 * A small getopt_long for iptables-save and iptables-restore (GNU getopt: options and operands
 * permuted, bundled short options, unique prefixes of long options).
 */
export interface LongOpt {
  name: string;
  hasArg: 0 | 1 | 2;
  code: string;
}

export interface GetoptItem {
  code: string;
  optarg: string | null;
}

export interface GetoptOutcome {
  items: GetoptItem[];
  operands: string[];
  /** `?` for an unknown option or a missing argument, with the offending text. */
  error: string | null;
}

/** Parses `argv` with a getopt optstring (`c`, `t:`, `w::`) and long options. */
export function getoptLong(argv: string[], optstring: string, longs: LongOpt[]): GetoptOutcome {
  const spec = new Map<string, 0 | 1 | 2>();
  for (const m of optstring.matchAll(/([A-Za-z0-9])(::|:)?/g)) spec.set(m[1]!, m[2] === '::' ? 2 : m[2] === ':' ? 1 : 0);
  const items: GetoptItem[] = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq >= 0 ? eq : undefined);
      const exact = longs.find((l) => l.name === name);
      const cands = longs.filter((l) => l.name.startsWith(name));
      const o = exact ?? (cands.length === 1 ? cands[0] : undefined);
      if (!o) return { items, operands, error: a };
      let v: string | null = eq >= 0 ? a.slice(eq + 1) : null;
      if (o.hasArg === 0 && v !== null) return { items, operands, error: a };
      if (o.hasArg === 1 && v === null) {
        if (i + 1 >= argv.length) return { items, operands, error: a };
        v = argv[++i]!;
      }
      items.push({ code: o.code, optarg: v });
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const s = spec.get(c);
        if (s === undefined) return { items, operands, error: `-${c}` };
        if (s === 0) {
          items.push({ code: c, optarg: null });
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest) items.push({ code: c, optarg: rest });
        else if (s === 1) {
          if (i + 1 >= argv.length) return { items, operands, error: `-${c}` };
          items.push({ code: c, optarg: argv[++i]! });
        } else items.push({ code: c, optarg: null });
        break;
      }
      continue;
    }
    operands.push(a);
  }
  return { items, operands, error: null };
}
