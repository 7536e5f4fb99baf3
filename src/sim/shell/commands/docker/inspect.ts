/**
 * `docker inspect` and the per-object inspect commands (cli/command/inspect/inspector.go):
 * without a format, the raw daemon JSON of each object re-indented with 4 spaces inside one
 * array (`[]` when nothing was found); with `-f`, the template run on the typed object first
 * and, if that fails, on the raw JSON with missingkey=error. Errors are collected and printed
 * after the output (exit 1); a template that does not parse exits 64.
 */
import type { CommandContext } from '../../interp.ts';
import type { DockerApi } from '../../../docker/api.ts';
import { DockerError } from '../../../docker/errors.ts';
import { marshal, indent, type JsonValue } from '../../../docker/format/gojson.ts';
import { parse as parseTemplate, TemplateError, type Template } from '../../../docker/format/gotemplate.ts';
import type { CommandDef } from '../../../docker/format/flags.ts';
import { CliExit, parseCommand } from './util.ts';

/**
 * The typed view of an inspect object: Go structs have every field, even those the daemon's
 * JSON leaves out (`omitempty`), so `{{json .Config.ExposedPorts}}` is `null` on an image
 * without ports instead of a missing key. Adds those fields with their zero values.
 */
const OMITTED: Record<string, [string, unknown][]> = {
  Config: [
    ['ExposedPorts', null],
    ['Healthcheck', null],
    ['ArgsEscaped', false],
    ['NetworkDisabled', false],
    ['MacAddress', ''],
    ['StopSignal', ''],
    ['StopTimeout', null],
    ['Shell', null],
  ],
  ContainerConfig: [
    ['ExposedPorts', null],
    ['MacAddress', ''],
  ],
  State: [['Health', null]],
};

function typedView(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...obj };
  for (const [key, fields] of Object.entries(OMITTED)) {
    const v = out[key];
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Map) continue;
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const [f, zero] of fields) if (!(f in copy)) copy[f] = zero;
    out[key] = copy;
  }
  if ('State' in out && 'HostConfig' in out) {
    // ContainerJSON: *ContainerNode, SizeRw, SizeRootFs are omitted when unset
    for (const f of ['Node', 'SizeRw', 'SizeRootFs']) if (!(f in out)) out[f] = null;
  }
  return out;
}

/** Deep copy through JSON semantics: the raw map[string]interface{} view of an object. */
function rawOf(v: unknown): unknown {
  return JSON.parse(marshal(v as JsonValue));
}

export function inspectObjects(ctx: CommandContext, refs: string[], format: string, get: (ref: string) => Record<string, unknown>): number {
  let tmpl: Template | null = null;
  if (format !== '') {
    try {
      tmpl = parseTemplate(format);
    } catch (e) {
      if (e instanceof TemplateError) {
        ctx.stderr.write(`template parsing error: ${e.message}\n`);
        return 64;
      }
      throw e;
    }
  }
  const errs: string[] = [];
  const raws: string[] = [];
  let out = '';
  for (const ref of refs) {
    let obj: Record<string, unknown>;
    try {
      obj = get(ref);
    } catch (e) {
      if (e instanceof CliExit) {
        errs.push(e.text);
        continue;
      }
      throw e;
    }
    if (!tmpl) {
      raws.push(marshal(obj as JsonValue));
      continue;
    }
    try {
      out += tmpl.execute(typedView(obj), { structs: true }) + '\n';
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      try {
        out += tmpl.execute(rawOf(obj), { missingKey: 'error', raw: true }) + '\n';
      } catch (e2) {
        if (!(e2 instanceof TemplateError)) throw e2;
        errs.push(`template parsing error: ${e2.message}`);
      }
    }
  }
  if (!tmpl) {
    ctx.stdout.write(raws.length ? indent('[' + raws.join(',') + ']') + '\n' : '[]\n');
  } else ctx.stdout.write(out === '' ? '\n' : out);
  if (errs.length) {
    ctx.stderr.write(errs.join('\n') + '\n');
    return 1;
  }
  return 0;
}

export const INSPECT_DEF: CommandDef = {
  path: 'docker inspect',
  use: '[OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Return low-level information on Docker objects',
  flags: [
    { name: 'format', short: 'f', kind: 'string', usage: 'Format the output using the given Go template' },
    { name: 'size', short: 's', kind: 'bool', usage: 'Display total file sizes if the type is container' },
    { name: 'type', kind: 'string', usage: 'Return JSON for specified type' },
  ],
  args: { min: 1 },
};

/** `docker inspect`: containers, then images, then networks (system/inspect.go inspectAll). */
export function runInspect(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const p = parseCommand(ctx, INSPECT_DEF, argv);
  if (typeof p === 'number') return p;
  const type = p.str('type');
  const valid = ['', 'config', 'container', 'image', 'network', 'node', 'plugin', 'secret', 'service', 'task', 'volume'];
  if (!valid.includes(type)) {
    ctx.stderr.write(`"${type}" is not a valid value for --type\n`);
    return 1;
  }
  return inspectObjects(ctx, p.args, p.str('format'), (ref) => {
    const kinds: [string, () => Record<string, unknown>][] = [
      ['container', () => api.containerInspect(ref)],
      ['image', () => api.imageInspect(ref)],
      ['network', () => api.networkInspect(ref)],
    ];
    for (const [kind, get] of kinds) {
      if (type !== '' && type !== kind) continue;
      try {
        return get();
      } catch (e) {
        if (!(e instanceof DockerError)) throw e;
        if (e.kind !== 'notfound') throw new CliExit(1, `Error response from daemon: ${e.message}`);
      }
    }
    throw new CliExit(1, type === '' ? `Error: No such object: ${ref}` : `Error: No such ${type}: ${ref}`);
  });
}
