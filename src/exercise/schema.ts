/**
 * The exercise file format (YAML or JSON in `exercises/`), validated with zod. A check is
 * written with one key naming its kind (`container: {...}`, `reach: {...}`); parsing turns it
 * into the grader's `Check` (src/sim/snapshot/exercise.ts), with every default made explicit,
 * so the grader never guesses. Beyond shapes, validation catches authoring mistakes: duplicate
 * check ids, a wrong solution naming a check that does not exist, unknown templates, invalid
 * regular expressions, unknown chapters.
 */
import { z } from 'zod';
import type { Check, Exercise, ExerciseSetup } from '../sim/index.ts';
import { CHAPTER_IDS } from './chapters.ts';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes');
const name = z.string().min(1);
const ignoreOrCompare = z.enum(['ignore', 'compare']);
const toleranceSchema = z.strictObject({
  ids: ignoreOrCompare.optional(),
  macs: ignoreOrCompare.optional(),
  vethNames: ignoreOrCompare.optional(),
  ephemeralPorts: ignoreOrCompare.optional(),
});

const TEMPLATE_FNS = ['ip', 'mac', 'id', 'shortId', 'hostname', 'gateway', 'subnet', 'bridge', 'netId', 'hostPort'];

/** A string whose `{{...}}` templates name known functions. */
const templated = z.string().superRefine((s, ctx) => {
  for (const m of s.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    const fn = m[1].split(/\s+/)[0];
    if (!TEMPLATE_FNS.includes(fn))
      ctx.addIssue({ code: 'custom', message: `unknown template {{${m[1]}}} (known: ${TEMPLATE_FNS.join(', ')})` });
  }
});

const regex = z.string().superRefine((s, ctx) => {
  try {
    new RegExp(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(e as Error).message}` });
  }
});

const lineList = z.union([templated, z.array(templated)]).transform((v) => (Array.isArray(v) ? v : [v]));

const kinds = {
  network: z.strictObject({
    name,
    exists: z.boolean().default(true),
    driver: z.string().optional(),
    subnet: templated.optional(),
    subnetWithin: templated.optional(),
    gateway: templated.optional(),
    ipRange: templated.optional(),
    internal: z.boolean().optional(),
    options: z.record(z.string(), templated).optional(),
  }),
  container: z.strictObject({
    name,
    exists: z.boolean().default(true),
    state: z.enum(['created', 'running', 'paused', 'restarting', 'exited', 'dead']).optional(),
    image: z.string().optional(),
    networkMode: z.string().optional(),
    networks: z.array(name).optional(),
    notNetworks: z.array(name).optional(),
    onlyNetworks: z.boolean().optional(),
    hostname: templated.optional(),
    links: z.array(z.string()).optional(),
    env: z.array(templated).optional(),
    envLacks: z.array(z.string()).optional(),
    dns: z.array(templated).optional(),
  }),
  address: z.strictObject({
    container: name,
    network: name.optional(),
    ip: templated.optional(),
    inSubnet: templated.optional(),
    aliases: z.array(templated).optional(),
    mac: templated.optional(),
  }),
  file: z.strictObject({
    container: name,
    path: z.enum(['/etc/hosts', '/etc/resolv.conf']),
    hasLines: lineList.optional(),
    lacksLines: lineList.optional(),
    noLineMatches: regex.optional(),
    someLineMatches: regex.optional(),
    equals: templated.optional(),
  }),
  rule: z
    .strictObject({
      table: z.enum(['nat', 'filter']),
      rules: lineList,
      present: z.boolean().default(true),
      ordered: z.boolean().default(false),
    })
    .refine((r) => r.rules.every((l) => /^-[APN] /.test(l)), { message: 'rules are written as `iptables -S` prints them: `-A CHAIN ...`' }),
  reach: z.strictObject({
    from: templated,
    to: templated,
    expect: z.enum(['yes', 'no', 'open', 'refused', 'timeout', 'unreachable', 'unresolved']),
  }),
  published: z.strictObject({
    container: name,
    port: z.string().regex(/^\d+(\/(tcp|udp|sctp))?$/, 'a container port: `80` or `80/tcp`'),
    hostPort: z.number().int().min(1).max(65535).optional(),
    hostIp: z.string().optional(),
    present: z.boolean().default(true),
  }),
  forbid: z
    .strictObject({
      command: z.string().min(1).optional(),
      flag: z
        .string()
        .regex(/^--?[A-Za-z]/)
        .optional(),
      pattern: regex.optional(),
    })
    .refine((f) => f.command !== undefined || f.flag !== undefined || f.pattern !== undefined, {
      message: 'forbid needs command, flag or pattern',
    }),
  route: z.strictObject({ line: templated, present: z.boolean().default(true) }),
  daemon: z.strictObject({ option: z.string(), equals: z.union([z.string(), z.number(), z.boolean()]) }),
  clean: z.strictObject({ containers: z.array(name).optional(), networks: z.array(name).optional() }),
} as const;

type Kind = keyof typeof kinds;
const KIND_NAMES = Object.keys(kinds) as Kind[];

const checkSchema = z
  .looseObject({
    id: slug,
    points: z.number().int().min(0).default(1),
    message: z.string().optional(),
    hint: z.string().optional(),
    host: z.string().optional(),
    tolerance: toleranceSchema.optional(),
  })
  .transform((raw, ctx): Check => {
    const base = { id: raw.id, points: raw.points, message: raw.message, hint: raw.hint, host: raw.host, tolerance: raw.tolerance };
    const present = KIND_NAMES.filter((k) => k in raw);
    const unknown = Object.keys(raw).filter((k) => !(k in base) && !(KIND_NAMES as string[]).includes(k));
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `check ${raw.id}: unknown key(s) ${unknown.join(', ')}` });
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `check ${raw.id} must have exactly one of: ${KIND_NAMES.join(', ')} (has ${present.join(', ') || 'none'})`,
      });
      return z.NEVER;
    }
    const kind = present[0];
    const parsed = kinds[kind].safeParse((raw as Record<string, unknown>)[kind]);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: `check ${raw.id}: ${kind}.${issue.path.join('.')}: ${issue.message}` });
      return z.NEVER;
    }
    for (const k of Object.keys(base) as (keyof typeof base)[]) if (base[k] === undefined) delete base[k];
    return { ...base, kind, [kind]: parsed.data } as unknown as Check;
  });

const commands = z.array(z.string().min(1));

const setupSchema = z
  .union([
    commands,
    z.strictObject({
      hosts: z.number().int().min(1).max(2).default(1),
      daemon: z.string().optional(),
      daemons: z.array(z.string()).optional(),
      commands: commands.default([]),
      hidden: z.boolean().default(false),
    }),
  ])
  .default([])
  .transform((s, ctx): ExerciseSetup => {
    if (Array.isArray(s)) return { hosts: 1, daemons: [''], commands: s, hidden: false };
    if (s.daemon !== undefined && s.daemons !== undefined)
      ctx.addIssue({ code: 'custom', message: 'setup: give daemon (first host) or daemons (per host), not both' });
    const daemons = s.daemons ?? [s.daemon ?? ''];
    if (daemons.length > s.hosts) ctx.addIssue({ code: 'custom', message: `setup: ${daemons.length} daemons for ${s.hosts} host(s)` });
    while (daemons.length < s.hosts) daemons.push('');
    return { hosts: s.hosts, daemons, commands: s.commands, hidden: s.hidden };
  });

export const exerciseSchema = z
  .strictObject({
    id: slug,
    chapter: z.string().refine((c) => CHAPTER_IDS.includes(c), { message: `unknown chapter (known: ${CHAPTER_IDS.join(', ')})` }),
    title: z.string().min(1),
    difficulty: z.enum(['easy', 'medium', 'hard']),
    task: z.string().min(1),
    setup: setupSchema,
    tolerance: toleranceSchema
      .default({})
      .transform((t) => ({ ids: 'ignore', macs: 'ignore', vethNames: 'ignore', ephemeralPorts: 'ignore', ...t }) as Exercise['tolerance']),
    cleanState: z.boolean().default(false),
    checks: z.array(checkSchema).min(1),
    hints: z.array(z.string().min(1)).default([]),
    solution: commands.min(1),
    wrong: z.array(z.strictObject({ why: z.string().optional(), commands: commands.min(1), fails: slug })).default([]),
  })
  .superRefine((ex, ctx) => {
    const ids = new Set<string>();
    for (const c of ex.checks) {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['checks'], message: `duplicate check id ${c.id}` });
      ids.add(c.id);
    }
    if (ex.cleanState) ids.add('clean-state');
    ex.wrong.forEach((w, i) => {
      if (!ids.has(w.fails)) ctx.addIssue({ code: 'custom', path: ['wrong', i, 'fails'], message: `no check named ${w.fails}` });
    });
  });

/** Type-level proof that what the schema produces is what the grader reads. */
type Parsed = z.output<typeof exerciseSchema>;
const _sameShape: Parsed extends Exercise ? (Exercise extends Parsed ? true : false) : false = true;
void _sameShape;

export class ExerciseError extends Error {
  constructor(
    readonly file: string,
    readonly issues: string[],
  ) {
    super(`${file}: ${issues.join('; ')}`);
  }
}

/** Validates a parsed exercise document; throws ExerciseError listing every problem. */
export function parseExercise(doc: unknown, file = '<exercise>'): Exercise {
  const r = exerciseSchema.safeParse(doc);
  if (!r.success)
    throw new ExerciseError(
      file,
      r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)),
    );
  return r.data as Exercise;
}
