/**
 * `docker build` with the classic builder of Docker 20.10 (moby builder/dockerfile: one step
 * per instruction, `Step N/M : INSTR`, ` ---> Running in <id>` for each instruction that
 * commits through a container, `Removing intermediate container`, ` ---> <image id>`,
 * ` ---> Using cache` on a repeated step, `Successfully built/tagged`), and `docker import`.
 *
 * Supported instructions: FROM, RUN, COPY, ADD (local files), WORKDIR, ENV, EXPOSE, CMD,
 * ENTRYPOINT, LABEL, ARG, USER, VOLUME, STOPSIGNAL, MAINTAINER. RUN executes in a container of
 * the current image (its file system), without a network sandbox.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Resume } from '../../runtime.ts';
import type { DockerApi } from '../../../docker/api.ts';
import type { DockerEngine } from '../../../docker/engine.ts';
import type { ImageData } from '../../../docker/images/types.ts';
import type { Vfs } from '../../../base/vfs.ts';
import { normalizePath } from '../../../base/vfs.ts';
import { DockerError } from '../../../docker/errors.ts';
import type { CommandDef } from '../../../docker/format/flags.ts';
import { humanSize } from '../../../docker/format/units.ts';
import { familiarName, parseNormalizedNamed, ReferenceError, withDefaultTag } from '../../../docker/format/reference.ts';
import { daemonMessage, parseCommand, CliExit } from './util.ts';
import { pullImage } from './image.ts';
import { buildCache } from './buildcache.ts';
import { execFailure, runIn, containerTarget } from './exec.ts';

type Gen = Generator<Effect, number, Resume | undefined>;

export const BUILD_DEF: CommandDef = {
  path: 'docker build',
  use: '[OPTIONS] PATH | URL | -',
  short: 'Build an image from a Dockerfile',
  flags: [
    { name: 'tag', short: 't', kind: 'list', usage: "Name and optionally a tag in the 'name:tag' format" },
    { name: 'file', short: 'f', kind: 'string', usage: "Name of the Dockerfile (Default is 'PATH/Dockerfile')" },
    { name: 'build-arg', kind: 'list', usage: 'Set build-time variables' },
    { name: 'no-cache', kind: 'bool', usage: 'Do not use cache when building the image' },
    { name: 'pull', kind: 'bool', usage: 'Always attempt to pull a newer version of the image' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Suppress the build output and print image ID on success' },
    { name: 'rm', kind: 'bool', usage: 'Remove intermediate containers after a successful build', defValue: 'true' },
    { name: 'force-rm', kind: 'bool', usage: 'Always remove intermediate containers' },
    { name: 'label', kind: 'list', usage: 'Set metadata for an image' },
    { name: 'network', kind: 'string', usage: 'Set the networking mode for the RUN instructions during build', defValue: 'default' },
    { name: 'target', kind: 'string', usage: 'Set the target build stage to build.' },
    { name: 'add-host', kind: 'list', usage: 'Add a custom host-to-IP mapping (host:ip)' },
    { name: 'iidfile', kind: 'string', usage: 'Write the image ID to the file' },
    {
      name: 'progress',
      kind: 'string',
      usage: 'Set type of progress output (auto, plain, tty). Use plain to show container output',
      defValue: 'auto',
    },
  ],
  args: { exact: 1 },
};

export const IMPORT_DEF: CommandDef = {
  path: 'docker import',
  use: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  short: 'Import the contents from a tarball to create a filesystem image',
  flags: [
    { name: 'change', short: 'c', kind: 'list', usage: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', kind: 'string', usage: 'Set commit message for imported image' },
    { name: 'platform', kind: 'string', usage: 'Set platform if server is multi-platform capable', hidden: true },
  ],
  args: { min: 1, max: 2 },
};

interface Instruction {
  keyword: string;
  args: string;
  text: string;
  line: number;
}

/** The Dockerfile parser's line handling: comments, `\` continuations, keyword + rest. */
export function parseDockerfile(src: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = src.split('\n');
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (buf === '' && /^\s*(#|$)/.test(raw)) continue;
    if (buf !== '' && /^\s*#/.test(raw)) continue;
    if (buf === '') start = i + 1;
    if (/\\\s*$/.test(raw)) {
      buf += raw.replace(/\\\s*$/, '') + ' ';
      continue;
    }
    buf += raw;
    const text = buf.trim();
    buf = '';
    const m = /^(\S+)\s*(.*)$/.exec(text);
    if (m) out.push({ keyword: m[1].toUpperCase(), args: m[2], text, line: start });
  }
  if (buf.trim()) {
    const text = buf.trim();
    const m = /^(\S+)\s*(.*)$/.exec(text);
    if (m) out.push({ keyword: m[1].toUpperCase(), args: m[2], text, line: start });
  }
  return out;
}

/** A JSON array form (`["a","b"]`) or null. */
function jsonArray(s: string): string[] | null {
  const t = s.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v = JSON.parse(t) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/** `KEY=value KEY2="v 2"` pairs, or the legacy `KEY value` form. */
function keyValuePairs(s: string): [string, string][] {
  const t = s.trim();
  if (!/^[^\s=]+=/.test(t)) {
    const m = /^(\S+)\s+(.*)$/.exec(t);
    return m ? [[m[1], m[2]]] : [[t, '']];
  }
  const out: [string, string][] = [];
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    let v = m[2];
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    else if (v.startsWith("'")) v = v.slice(1, -1);
    out.push([m[1], v]);
  }
  return out;
}

/** Size of the build context as the CLI tars it: 512-byte headers, data padded to 512, 1024 end. */
function contextSize(fs: Vfs, dir: string): number {
  let total = 1024;
  const walk = (d: string): void => {
    for (const name of fs.list(d).sort()) {
      const p = `${d.replace(/\/$/, '')}/${name}`;
      const st = fs.lstat(p);
      if (!st) continue;
      total += 512;
      if (st.kind === 'dir') walk(p);
      else if (st.kind === 'file') total += Math.ceil(fs.read(p).length / 512) * 512;
    }
  };
  walk(dir);
  return total;
}

/** Every regular file of a container's file system (what a commit captures), without /proc, /sys, /dev. */
function filesOf(fs: Vfs): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = fs.list(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = d === '/' ? `/${name}` : `${d}/${name}`;
      if (p === '/proc' || p === '/sys' || p === '/dev') continue;
      const st = fs.lstat(p);
      if (!st) continue;
      if (st.kind === 'dir') walk(p);
      else if (st.kind === 'file') {
        try {
          out[p] = fs.read(p);
        } catch {
          /* unreadable (dynamic) */
        }
      }
    }
  };
  walk('/');
  return out;
}

function newImageId(engine: DockerEngine): string {
  return engine.env.rng.hex(64);
}

export function* runBuild(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const p = parseCommand(ctx, BUILD_DEF, argv);
  if (typeof p === 'number') return p;
  const engine = api.engine;
  const hostFs = ctx.target.fs;
  const ctxDir = normalizePath(p.args[0], ctx.cwd);
  if (p.args[0] === '-' || /^(https?|git):\/\//.test(p.args[0])) {
    ctx.stderr.write(`unable to prepare context: this lab's docker build reads a local directory\n`);
    return 1;
  }
  if (!hostFs.exists(ctxDir)) {
    ctx.stderr.write(`unable to prepare context: path ${JSON.stringify(p.args[0])} not found\n`);
    return 1;
  }
  if (!hostFs.isDir(ctxDir)) {
    ctx.stderr.write(`unable to prepare context: context must be a directory: ${ctxDir}\n`);
    return 1;
  }
  const dfPath = p.str('file') ? normalizePath(p.str('file'), ctx.cwd) : `${ctxDir.replace(/\/$/, '')}/Dockerfile`;
  if (!hostFs.exists(dfPath)) {
    ctx.stderr.write(
      `unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${dfPath}: no such file or directory\n`,
    );
    return 1;
  }
  // Tags are validated by the CLI before anything is sent.
  const tags: { repo: string; tag: string }[] = [];
  for (const t of p.list('tag')) {
    try {
      const r = withDefaultTag(parseNormalizedNamed(t));
      tags.push({ repo: familiarName(r), tag: r.tag ?? 'latest' });
    } catch (e) {
      if (e instanceof ReferenceError) {
        ctx.stderr.write(`invalid argument ${JSON.stringify(t)} for "-t, --tag" flag: ${e.message}\nSee 'docker build --help'.\n`);
        return 125;
      }
      throw e;
    }
  }
  if (!engine.running) {
    ctx.stderr.write('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n');
    return 1;
  }
  const quiet = p.bool('quiet');
  const out = quiet ? { write: (_t: string) => undefined, isTty: false } : ctx.stdout;
  out.write(`Sending build context to Docker daemon  ${humanSize(contextSize(hostFs, ctxDir))}\n\n`);
  const instrs = parseDockerfile(hostFs.read(dfPath));
  if (!instrs.length) {
    ctx.stderr.write('Error response from daemon: the Dockerfile (Dockerfile) cannot be empty\n');
    return 1;
  }
  const known = new Set([
    'FROM',
    'RUN',
    'COPY',
    'ADD',
    'WORKDIR',
    'ENV',
    'EXPOSE',
    'CMD',
    'ENTRYPOINT',
    'LABEL',
    'ARG',
    'USER',
    'VOLUME',
    'STOPSIGNAL',
    'MAINTAINER',
    'ONBUILD',
    'HEALTHCHECK',
    'SHELL',
  ]);
  for (const ins of instrs) {
    if (!known.has(ins.keyword)) {
      ctx.stderr.write(`Error response from daemon: dockerfile parse error line ${ins.line}: unknown instruction: ${ins.keyword}\n`);
      return 1;
    }
  }
  if (instrs[0].keyword !== 'FROM' && instrs[0].keyword !== 'ARG') {
    ctx.stderr.write('Error response from daemon: No build stage in current context\n');
    return 1;
  }
  const cache = buildCache(engine);
  const noCache = p.bool('no-cache');
  const buildArgs = new Map(
    p.list('build-arg').map((a) => [a.split('=')[0], a.includes('=') ? a.slice(a.indexOf('=') + 1) : (ctx.env.get(a) ?? '')]),
  );
  let cur: ImageData | null = null;
  let files: Record<string, string> = {};
  let cmdSet = false;
  const total = instrs.length;
  for (let i = 0; i < total; i++) {
    const ins = instrs[i];
    out.write(`Step ${i + 1}/${total} : ${ins.text}\n`);
    if (ins.keyword === 'FROM') {
      const ref = ins.args.split(/\s+/)[0];
      let base = engine.findImage(ref);
      if (!base || p.bool('pull')) {
        try {
          yield* pullImage(ctx, api, ref, out, { printRef: false });
        } catch (e) {
          if (e instanceof CliExit) {
            ctx.stderr.write(e.text + '\n');
            return 1;
          }
          throw e;
        }
        base = engine.findImage(ref);
        if (!base) {
          ctx.stderr.write(`Error response from daemon: No such image: ${ref}\n`);
          return 1;
        }
      }
      cur = base;
      cmdSet = false;
      files = { ...(base.files ?? {}) };
      out.write(` ---> ${cur.id.slice(0, 12)}\n`);
      continue;
    }
    if (!cur) return 1;
    const parentImg: ImageData = cur;
    const key: string = `${parentImg.id}\n${ins.text}${ins.keyword === 'COPY' || ins.keyword === 'ADD' ? '\n' + copyDigest(hostFs, ctxDir, ins.args) : ''}`;
    const hit: ImageData | undefined = noCache ? undefined : cache.get(key);
    if (hit) {
      out.write(' ---> Using cache\n');
      cur = hit;
      files = { ...(hit.files ?? {}) };
      out.write(` ---> ${hit.id.slice(0, 12)}\n`);
      continue;
    }
    const next: ImageData = {
      ...cur,
      id: newImageId(engine),
      created: new Date(engine.env.clock.now()).toISOString(),
      parent: cur.id,
      comment: '',
      files: { ...files },
    };
    (next as ImageData & { createdBy?: string }).createdBy = `/bin/sh -c #(nop)  ${historyComment(ins)}`;
    (next as ImageData & { layerSize?: number }).layerSize = 0;
    const cid = newImageId(engine).slice(0, 12);
    const metadata = (): void => {
      out.write(` ---> Running in ${cid}\n`);
      out.write(`Removing intermediate container ${cid}\n`);
    };
    switch (ins.keyword) {
      case 'RUN': {
        const arr = jsonArray(ins.args);
        const argvRun = arr ?? ['/bin/sh', '-c', substitute(ins.args, buildArgs)];
        const r = yield* runStep(ctx, api, cur, files, argvRun, out);
        if (r.status !== 0) {
          ctx.stderr.write(`The command '${argvRun.join(' ')}' returned a non-zero code: ${r.status}\n`);
          return r.status;
        }
        next.files = r.files;
        next.size = cur.size + Object.entries(r.files).reduce((n, [k, v]) => n + (files[k] === v ? 0 : v.length), 0);
        (next as ImageData & { createdBy?: string }).createdBy = arr ? arr.join(' ') : `/bin/sh -c ${ins.args}`;
        (next as ImageData & { layerSize?: number }).layerSize = next.size - cur.size;
        out.write(`Removing intermediate container ${r.cid}\n`);
        break;
      }
      case 'COPY':
      case 'ADD': {
        const err = copyInto(hostFs, ctxDir, ins, next);
        if (err) {
          ctx.stderr.write(err + '\n');
          return 1;
        }
        (next as ImageData & { layerSize?: number }).layerSize = next.size - cur.size;
        break;
      }
      case 'WORKDIR': {
        const wd = normalizePath(substitute(ins.args.trim(), buildArgs), cur.workdir || '/');
        next.workdir = wd;
        metadata();
        break;
      }
      case 'ENV': {
        const env = [...(cur.env ?? [])];
        for (const [k, v] of keyValuePairs(ins.args)) {
          const idx = env.findIndex((e) => e.startsWith(k + '='));
          if (idx >= 0) env.splice(idx, 1);
          env.push(`${k}=${v}`);
        }
        next.env = env;
        metadata();
        break;
      }
      case 'EXPOSE': {
        const ports = ins.args
          .split(/\s+/)
          .filter(Boolean)
          .map((x) => (x.includes('/') ? x.toLowerCase() : `${x}/tcp`));
        next.exposed = [...new Set([...cur.exposed, ...ports])].sort();
        metadata();
        break;
      }
      case 'CMD':
        next.cmd = jsonArray(ins.args) ?? ['/bin/sh', '-c', ins.args];
        cmdSet = true;
        metadata();
        break;
      case 'ENTRYPOINT':
        next.entrypoint = jsonArray(ins.args) ?? ['/bin/sh', '-c', ins.args];
        // dispatchEntrypoint: a CMD inherited from the base image is reset.
        if (!cmdSet) next.cmd = null;
        metadata();
        break;
      case 'LABEL':
        next.labels = { ...(cur.labels ?? {}), ...Object.fromEntries(keyValuePairs(ins.args)) };
        metadata();
        break;
      case 'ARG': {
        const [k, v] = ins.args.split('=');
        if (!buildArgs.has(k)) buildArgs.set(k, v ?? '');
        metadata();
        break;
      }
      default:
        metadata();
    }
    cache.set(key, next);
    cur = next;
    files = { ...(next.files ?? {}) };
    out.write(` ---> ${cur.id.slice(0, 12)}\n`);
  }
  if (!cur) return 1;
  // The result: tagged as asked, or left untagged.
  const finalImg = cur;
  if (tags.length === 0) engine.addImage({ ...finalImg, repo: '<none>', tag: '<none>' });
  for (const t of tags) engine.addImage({ ...finalImg, repo: t.repo, tag: t.tag });
  if (quiet) {
    ctx.stdout.write(`sha256:${finalImg.id}\n`);
    return 0;
  }
  out.write(`Successfully built ${finalImg.id.slice(0, 12)}\n`);
  for (const t of tags) out.write(`Successfully tagged ${t.repo}:${t.tag}\n`);
  return 0;
}

/** The `#(nop)` comment the classic builder commits for a metadata step (dispatchers.go). */
function historyComment(ins: Instruction): string {
  const arr = jsonArray(ins.args);
  const goList = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
  switch (ins.keyword) {
    case 'CMD':
    case 'ENTRYPOINT':
      return `${ins.keyword} ${goList(arr ?? ['/bin/sh', '-c', ins.args])}`;
    case 'ENV':
      return `ENV ${keyValuePairs(ins.args)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`;
    case 'COPY':
    case 'ADD': {
      const parts = (arr ?? ins.args.split(/\s+/)).filter(Boolean);
      return `${ins.keyword} file:${derivedDigest(ins.args)} in ${parts[parts.length - 1]} `;
    }
    default:
      return `${ins.keyword} ${ins.args.trim()}`;
  }
}

function derivedDigest(s: string): string {
  let out = '';
  for (let lane = 0; out.length < 64; lane++) {
    let h = (0x811c9dc5 ^ lane) >>> 0;
    for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

/** `$VAR`/`${VAR}` from build args (the Dockerfile's own expansion for ARG values). */
function substitute(s: string, vars: Map<string, string>): string {
  return s.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => {
    const k = a ?? b ?? '';
    return vars.has(k) ? (vars.get(k) as string) : m;
  });
}

/** RUN: a container of the current image runs the command; its files become the new layer. */
function* runStep(
  ctx: CommandContext,
  api: DockerApi,
  img: ImageData,
  files: Record<string, string>,
  argv: string[],
  out: { write(t: string): void; isTty: boolean },
): Generator<Effect, { status: number; files: Record<string, string>; cid: string }, Resume | undefined> {
  const engine = api.engine;
  // The builder's container: the image's file system with the files of the steps so far.
  const stage: ImageData = { ...img, repo: '<none>', tag: `build-${img.id.slice(0, 12)}`, files };
  engine.addImage(stage);
  let c;
  try {
    c = engine.createContainer({ image: `${stage.repo}:${stage.tag}`, cmd: argv, entrypoint: null, networkMode: 'none' });
  } catch (e) {
    engine.removeImage(stage);
    if (e instanceof DockerError) {
      ctx.stderr.write(daemonMessage(e) + '\n');
      return { status: 1, files, cid: '' };
    }
    throw e;
  }
  engine.removeImage(stage);
  const cid = c.id.slice(0, 12);
  out.write(` ---> Running in ${cid}\n`);
  const rt = engine.runtime(c);
  const target = containerTarget(ctx.target, rt);
  const env = new Map<string, string>([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ...((img.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]) as [string, string][]),
  ]);
  const fail = execFailure(target, argv, env, img.workdir || '/');
  let status: number;
  if (fail) {
    ctx.stderr.write(`OCI runtime create failed: runc create failed: unable to start container process: ${fail}: unknown\n`);
    status = 127;
  } else {
    const sub = { ...ctx, stdout: out, stderr: out } as CommandContext;
    const r = runIn(sub, rt, argv, { env: [...env].map(([k, v]) => `${k}=${v}`), workdir: img.workdir || '/' });
    status = typeof r === 'number' ? r : yield* r;
  }
  const after = filesOf(c.fs);
  if (status === 0) engine.removeContainer(c.id, { force: true });
  return { status, files: after, cid };
}

function copyDigest(fs: Vfs, ctxDir: string, args: string): string {
  const parts = jsonArray(args) ?? args.split(/\s+/).filter((a) => !a.startsWith('--'));
  let h = 0x811c9dc5;
  for (const src of parts.slice(0, -1)) {
    const p = normalizePath(src, ctxDir);
    const all = fs.isDir(p) ? Object.entries(dirFiles(fs, p)) : fs.exists(p) ? [[p, fs.read(p)]] : [];
    for (const [k, v] of all) for (const ch of k + v) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  }
  return h.toString(16);
}

function dirFiles(fs: Vfs, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.list(dir)) {
    const p = `${dir.replace(/\/$/, '')}/${name}`;
    if (fs.isDir(p)) Object.assign(out, dirFiles(fs, p));
    else if (fs.exists(p)) out[p] = fs.read(p);
  }
  return out;
}

/** COPY/ADD from the build context into the image's files. Returns an error text or null. */
function copyInto(fs: Vfs, ctxDir: string, ins: Instruction, img: ImageData): string | null {
  const parts = (jsonArray(ins.args) ?? ins.args.split(/\s+/)).filter((a) => a && !a.startsWith('--'));
  if (parts.length < 2)
    return `Error response from daemon: dockerfile parse error line ${ins.line}: ${ins.keyword} requires at least two arguments`;
  const destRaw = parts[parts.length - 1];
  const srcs = parts.slice(0, -1);
  const dest = normalizePath(destRaw, img.workdir || '/');
  const intoDir = destRaw.endsWith('/') || srcs.length > 1 || destRaw === '.';
  const files = { ...(img.files ?? {}) };
  for (const src of srcs) {
    const p = normalizePath(src, ctxDir);
    if (!p.startsWith(ctxDir.replace(/\/$/, '')) || !fs.exists(p)) {
      return `${ins.keyword} failed: file not found in build context or excluded by .dockerignore: stat ${src.replace(/^\.\//, '')}: file does not exist`;
    }
    if (fs.isDir(p)) {
      for (const [f, text] of Object.entries(dirFiles(fs, p)))
        files[`${dest.replace(/\/$/, '')}/${f.slice(p.replace(/\/$/, '').length + 1)}`] = text;
    } else {
      const name = p.slice(p.lastIndexOf('/') + 1);
      files[intoDir ? `${dest.replace(/\/$/, '')}/${name}` : dest] = fs.read(p);
    }
  }
  const bytes = (o: Record<string, string>): number => Object.values(o).reduce((n, v) => n + v.length, 0);
  img.size += Math.max(0, bytes(files) - bytes(img.files ?? {}));
  img.files = files;
  return null;
}

export function runImport(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const p = parseCommand(ctx, IMPORT_DEF, argv);
  if (typeof p === 'number') return p;
  const [source, ref] = p.args;
  if (source !== '-' && !/^https?:\/\//.test(source)) {
    const path = normalizePath(source, ctx.cwd);
    if (!ctx.target.fs.exists(path)) {
      ctx.stderr.write(`open ${source}: no such file or directory\n`);
      return 1;
    }
  }
  if (ref) {
    try {
      parseNormalizedNamed(ref);
    } catch (e) {
      if (e instanceof ReferenceError) {
        ctx.stderr.write(`${e.message}\n`);
        return 1;
      }
      throw e;
    }
  }
  try {
    const id = api.imageImport(source, ref ?? '', p.list('change'), p.str('message'));
    ctx.stdout.write(id + '\n');
    return 0;
  } catch (e) {
    if (e instanceof DockerError) {
      ctx.stderr.write(daemonMessage(e) + '\n');
      return 1;
    }
    throw e;
  }
}
