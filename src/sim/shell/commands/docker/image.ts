/**
 * Image commands of docker/cli v20.10: images (image ls), pull, tag, rmi, history,
 * image inspect — against the engine's image store. The registry is the profile's catalog:
 * an image the profile lists as pullable (`registry`) downloads with the daemon's progress
 * lines; an installed one is "up to date"; anything else is the registry's access error.
 */
import type { CommandContext } from '../../interp.ts';
import type { Effect, Output, Resume } from '../../runtime.ts';
import type { DockerEngine } from '../../../docker/engine.ts';
import type { ImageData } from '../../../docker/images/types.ts';
import type { CommandDef } from '../../../docker/format/flags.ts';
import { goStruct } from '../../../docker/format/gotemplate.ts';
import { humanDuration, humanSizeWithPrecision } from '../../../docker/format/units.ts';
import { familiarName, parseNormalizedNamed, ReferenceError, withDefaultTag, type ImageRef } from '../../../docker/format/reference.ts';
import type { DockerApi } from '../../../docker/api.ts';
import { DockerError } from '../../../docker/errors.ts';
import { CliExit, daemonMessage, formatRows, parseCommand, report } from './util.ts';
import { inspectObjects } from './inspect.ts';
import { imageById } from './buildcache.ts';

type Gen = Generator<Effect, number, Resume | undefined>;

export const IMAGE_DEFS: Record<string, CommandDef> = {
  images: {
    path: 'docker images',
    use: '[OPTIONS] [REPOSITORY[:TAG]]',
    short: 'List images',
    flags: [
      { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only show image IDs' },
      { name: 'all', short: 'a', kind: 'bool', usage: 'Show all images (default hides intermediate images)' },
      { name: 'digests', kind: 'bool', usage: 'Show digests' },
      { name: 'format', kind: 'string', usage: 'Pretty-print images using a Go template' },
      { name: 'no-trunc', kind: 'bool', usage: "Don't truncate output" },
      { name: 'filter', short: 'f', kind: 'list', typeName: 'filter', usage: 'Filter output based on conditions provided' },
    ],
    args: { max: 1 },
  },
  pull: {
    path: 'docker pull',
    use: '[OPTIONS] NAME[:TAG|@DIGEST]',
    short: 'Pull an image or a repository from a registry',
    flags: [
      { name: 'all-tags', short: 'a', kind: 'bool', usage: 'Download all tagged images in the repository' },
      { name: 'quiet', short: 'q', kind: 'bool', usage: 'Suppress verbose output' },
      { name: 'platform', kind: 'string', usage: 'Set platform if server is multi-platform capable', hidden: true },
      { name: 'disable-content-trust', kind: 'bool', usage: 'Skip image verification', defValue: 'true' },
    ],
    args: { exact: 1 },
  },
  tag: {
    path: 'docker tag',
    use: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
    short: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
    flags: [],
    args: { exact: 2 },
  },
  rmi: {
    path: 'docker rmi',
    use: '[OPTIONS] IMAGE [IMAGE...]',
    short: 'Remove one or more images',
    flags: [
      { name: 'force', short: 'f', kind: 'bool', usage: 'Force removal of the image' },
      { name: 'no-prune', kind: 'bool', usage: 'Do not delete untagged parents' },
    ],
    args: { min: 1 },
  },
  history: {
    path: 'docker history',
    use: '[OPTIONS] IMAGE',
    short: 'Show the history of an image',
    flags: [
      { name: 'human', short: 'H', kind: 'bool', usage: 'Print sizes and dates in human readable format', defValue: 'true' },
      { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only show image IDs' },
      { name: 'no-trunc', kind: 'bool', usage: "Don't truncate output" },
      { name: 'format', kind: 'string', usage: 'Pretty-print images using a Go template' },
    ],
    args: { exact: 1 },
  },
  'image inspect': {
    path: 'docker image inspect',
    use: '[OPTIONS] IMAGE [IMAGE...]',
    short: 'Display detailed information on one or more images',
    flags: [{ name: 'format', short: 'f', kind: 'string', usage: 'Format the output using the given Go template' }],
    args: { min: 1 },
  },
};

const createdMs = (img: ImageData): number => Date.parse(img.created);

/**
 * The images the daemon lists: newest first by creation time in seconds (daemon/images/
 * images.go sorts byCreated); images created in the same second come newest-added first.
 */
function listed(engine: DockerEngine): ImageData[] {
  const order = new Map(engine.images.map((img, i) => [img, i]));
  return engine.images
    .slice()
    .sort(
      (a, b) =>
        Math.floor(createdMs(b) / 1000) - Math.floor(createdMs(a) / 1000) || createdMs(b) - createdMs(a) || order.get(b)! - order.get(a)!,
    );
}

const IMAGE_HEADER = {
  ID: 'IMAGE ID',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  Containers: 'CONTAINERS',
  VirtualSize: 'VIRTUAL SIZE',
  SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE',
};

export function runImages(ctx: CommandContext, api: DockerApi, argv: string[], path = 'docker images'): number {
  const engine = api.engine;
  const p = parseCommand(ctx, { ...IMAGE_DEFS.images, path }, argv);
  if (typeof p === 'number') return p;
  try {
    const now = engine.env.clock.now();
    let list = listed(engine);
    if (p.args[0]) {
      const [repo, tag] = splitRepoTag(p.args[0]);
      list = list.filter((i) => i.repo === repo && (tag === null || i.tag === tag));
    }
    const trunc = !p.bool('no-trunc');
    const rows = list.map((img) =>
      goStruct(
        {
          ID: () => (trunc ? img.id.slice(0, 12) : `sha256:${img.id}`),
          Repository: () => img.repo,
          Tag: () => img.tag,
          Digest: () => '<none>',
          CreatedSince: () => humanDuration(now - createdMs(img)) + ' ago',
          CreatedAt: () =>
            new Date(createdMs(img))
              .toISOString()
              .replace('T', ' ')
              .replace(/\.\d+Z$/, ' +0000 UTC'),
          Size: () => humanSizeWithPrecision(img.size, 3),
          Containers: () => 'N/A',
          VirtualSize: () => humanSizeWithPrecision(img.size, 3),
          SharedSize: () => 'N/A',
          UniqueSize: () => 'N/A',
        },
        '*formatter.imageContext',
      ),
    );
    let format = p.str('format');
    if (p.bool('quiet')) format = '{{.ID}}';
    else if (!format)
      format = p.bool('digests')
        ? 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
        : 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
    ctx.stdout.write(formatRows(format, IMAGE_HEADER, rows));
    return 0;
  } catch (e) {
    return report(ctx, e);
  }
}

function splitRepoTag(ref: string): [string, string | null] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, null];
}

/**
 * `docker pull` as the CLI shows the daemon's progress without a TTY (jsonmessage): one
 * `id: status` line per message, after `Using default tag: latest` for a name without a tag;
 * `docker pull` itself ends with the full reference. Throws CliExit with the daemon's error.
 */
export function* pullImage(
  ctx: CommandContext,
  api: DockerApi,
  image: string,
  out: Output,
  o: { printRef?: boolean; quiet?: boolean } = {},
): Generator<Effect, void, Resume | undefined> {
  let ref: ImageRef;
  try {
    ref = parseNormalizedNamed(image);
  } catch (e) {
    if (e instanceof ReferenceError) throw new CliExit(1, e.message);
    throw e;
  }
  const tagged = withDefaultTag(ref);
  const name = `${familiarName(tagged)}:${tagged.tag}`;
  // `docker pull` itself says which tag it uses (pull.go); the implicit pull of run/create does not.
  if (ref.tag === null && ref.digest === null && !o.quiet && o.printRef !== false) out.write('Using default tag: latest\n');
  let msgs;
  try {
    msgs = api.imagePull(name);
  } catch (e) {
    if (e instanceof DockerError) throw new CliExit(1, daemonMessage(e));
    throw e;
  }
  if (!o.quiet) {
    for (const m of msgs) {
      out.write((m.id ? `${m.id}: ` : '') + m.status + (m.progress ? ` ${m.progress}` : '') + '\n');
      if (m.status === 'Pull complete') yield { kind: 'sleep', ms: 200 };
    }
  }
  if (o.printRef !== false) ctx.stdout.write(`${tagged.domain}/${tagged.path}:${tagged.tag}\n`);
}

export function* runPull(ctx: CommandContext, api: DockerApi, argv: string[]): Gen {
  const p = parseCommand(ctx, IMAGE_DEFS.pull, argv);
  if (typeof p === 'number') return p;
  try {
    yield* pullImage(ctx, api, p.args[0], ctx.stdout, { quiet: p.bool('quiet') });
    return 0;
  } catch (e) {
    return report(ctx, e);
  }
}

export function runTag(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, IMAGE_DEFS.tag, argv);
  if (typeof p === 'number') return p;
  const [src, dst] = p.args;
  try {
    const img = engine.findImage(src);
    if (!img) throw new CliExit(1, `Error response from daemon: No such image: ${src.includes(':') ? src : src + ':latest'}`);
    let ref: ImageRef;
    try {
      ref = withDefaultTag(parseNormalizedNamed(dst));
    } catch (e) {
      if (e instanceof ReferenceError)
        throw new CliExit(1, `Error parsing reference: ${JSON.stringify(dst)} is not a valid repository/tag: ${e.message}`);
      throw e;
    }
    engine.addImage({ ...img, repo: familiarName(ref), tag: ref.tag ?? 'latest' });
    return 0;
  } catch (e) {
    return report(ctx, e);
  }
}

export function runRmi(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, IMAGE_DEFS.rmi, argv);
  if (typeof p === 'number') return p;
  const errs: string[] = [];
  for (const ref of p.args) {
    const img = engine.findImage(ref);
    if (!img) {
      errs.push(`Error: No such image: ${ref}`);
      continue;
    }
    const users = engine.listContainers(true).filter((c) => c.image.id === img.id);
    const byTag = ref.replace(/^sha256:/, '').length < 12 || !img.id.startsWith(ref.replace(/^sha256:/, ''));
    const sameId = engine.images.filter((i) => i.id === img.id);
    if (users.length && !p.bool('force')) {
      const c = users[0];
      if (byTag && sameId.length === 1) {
        errs.push(
          `Error response from daemon: conflict: unable to remove repository reference "${ref}" (must force) - container ${c.id.slice(0, 12)} is using its referenced image ${img.id.slice(0, 12)}`,
        );
      } else {
        errs.push(
          `Error response from daemon: conflict: unable to delete ${img.id.slice(0, 12)} (${c.running ? 'cannot be forced' : 'must be forced'}) - image is being used by ${c.running ? 'running' : 'stopped'} container ${c.id.slice(0, 12)}`,
        );
      }
      continue;
    }
    if (byTag && sameId.length > 1) {
      engine.removeImage(img);
      ctx.stdout.write(`Untagged: ${img.repo}:${img.tag}\n`);
      continue;
    }
    for (const i of sameId) {
      engine.removeImage(i);
      ctx.stdout.write(`Untagged: ${i.repo}:${i.tag}\n`);
    }
    ctx.stdout.write(`Deleted: sha256:${img.id}\n`);
  }
  if (errs.length) {
    ctx.stderr.write(errs.join('\n') + '\n');
    return 1;
  }
  return 0;
}

const HISTORY_HEADER = {
  ID: 'IMAGE',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  CreatedBy: 'CREATED BY',
  Size: 'SIZE',
  Comment: 'COMMENT',
};

export function runHistory(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const engine = api.engine;
  const p = parseCommand(ctx, IMAGE_DEFS.history, argv);
  if (typeof p === 'number') return p;
  const img = engine.findImage(p.args[0]);
  if (!img) {
    ctx.stderr.write(`Error response from daemon: No such image: ${p.args[0].includes(':') ? p.args[0] : p.args[0] + ':latest'}\n`);
    return 1;
  }
  const now = engine.env.clock.now();
  const chain: ImageData[] = [];
  for (let cur: ImageData | null = img; cur;) {
    chain.push(cur);
    const parentId: string | undefined = cur.parent;
    cur = parentId ? imageById(engine, parentId) : null;
  }
  const trunc = !p.bool('no-trunc');
  const rows = chain.map((i) =>
    goStruct(
      {
        ID: () => (trunc ? i.id.slice(0, 12) : `sha256:${i.id}`),
        CreatedSince: () => humanDuration(now - createdMs(i)) + ' ago',
        CreatedAt: () => i.created,
        CreatedBy: () => {
          const by = (i as ImageData & { createdBy?: string }).createdBy ?? '';
          return trunc && [...by].length > 45 ? [...by].slice(0, 44).join('') + '…' : by;
        },
        // A built layer's own size; a base image (imported or pulled) carries its whole size.
        Size: () => humanSizeWithPrecision((i as ImageData & { layerSize?: number }).layerSize ?? i.size, 3),
        Comment: () => i.comment ?? '',
      },
      '*formatter.historyContext',
    ),
  );
  try {
    const format = p.bool('quiet')
      ? '{{.ID}}'
      : p.str('format') || 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
    ctx.stdout.write(formatRows(format, HISTORY_HEADER, rows));
    return 0;
  } catch (e) {
    return report(ctx, e);
  }
}

export function runImageInspect(ctx: CommandContext, api: DockerApi, argv: string[]): number {
  const p = parseCommand(ctx, IMAGE_DEFS['image inspect'], argv);
  if (typeof p === 'number') return p;
  return inspectObjects(ctx, p.args, p.str('format'), (ref) => {
    try {
      return api.imageInspect(ref);
    } catch (e) {
      if (e instanceof DockerError && e.kind === 'notfound') throw new CliExit(1, `Error: No such image: ${ref}`);
      throw e;
    }
  });
}
