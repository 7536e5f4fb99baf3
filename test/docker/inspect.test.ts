/** Inspect JSON against golden 01/03 after the golden README's id/time normalisation. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerHost } from './harness.ts';
import { DockerApi } from '../../src/sim/docker/api.ts';
import { marshal, marshalIndent } from '../../src/sim/docker/format/gojson.ts';
import type { JsonValue } from '../../src/sim/docker/format/gojson.ts';

const here = dirname(fileURLToPath(import.meta.url));
const golden = (name: string): string => readFileSync(join(here, 'golden', name), 'utf8');

/** The block of output after `$ cmd` (up to the next prompt) in a golden transcript. */
function outputOf(text: string, cmd: string, nth = 0): string {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === `$ ${cmd}`) {
      if (seen++ < nth) continue;
      const out: string[] = [];
      for (let j = i + 1; j < lines.length && !lines[j].startsWith('$ ') && !lines[j].startsWith('#> '); j++) out.push(lines[j]);
      return out.join('\n');
    }
  }
  throw new Error(`no ${cmd}`);
}

/** Ids, times and pids become tokens numbered in order of first appearance (golden README). */
function normalise(s: string): string {
  const ids = new Map<string, string>();
  return s
    .replace(/\b[0-9a-f]{64}\b|\b[0-9a-f]{12}\b/g, (m) => {
      const key = m.length === 64 ? m : ([...ids.keys()].find((k) => k.startsWith(m)) ?? m);
      if (!ids.has(key)) ids.set(key, `<ID${ids.size + 1}>`);
      return ids.get(key) as string;
    })
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<TIME>')
    .replace(/"Pid": \d+/g, '"Pid": <N>');
}

describe('inspect (golden 01)', () => {
  it('network inspect bridge with two containers', () => {
    const { engine } = dockerHost();
    const api = new DockerApi(engine);
    for (const n of ['test1', 'test2']) {
      engine.createContainer({ name: n, image: 'busybox', cmd: ['/bin/sh', '-c', 'while true;do sleep 3600;done'] });
      engine.startContainer(n);
    }
    const ours = JSON.parse(marshalIndent([api.networkInspect('bridge') as JsonValue])) as { Containers: Record<string, unknown> }[];
    const theirs = JSON.parse(outputOf(golden('01-default-bridge.txt'), 'docker network inspect bridge', 1)) as {
      Containers: Record<string, unknown>;
    }[];
    // Containers are keyed by id (a Go map, sorted): compare them by name.
    const byName = (x: Record<string, unknown>): unknown[] =>
      Object.values(x)
        .map((v) => ({ ...(v as { Name: string }), EndpointID: '<ID>' }))
        .sort((a, b) => (a.Name < b.Name ? -1 : 1));
    expect(byName(ours[0].Containers)).toEqual(byName(theirs[0].Containers));
    const strip = (x: { Containers: Record<string, unknown> }[]): string =>
      normalise(JSON.stringify({ ...x[0], Containers: null })).replace(/<ID\d+>/g, '<ID>');
    expect(strip(ours)).toBe(strip(theirs));
  });

  it('container inspect test1 and the NetworkSettings of a stopped container', () => {
    const { engine } = dockerHost();
    const api = new DockerApi(engine);
    engine.createContainer({ name: 'test1', image: 'busybox', cmd: ['/bin/sh', '-c', 'while true;do sleep 3600;done'] });
    engine.startContainer('test1');
    const ours = marshalIndent([api.containerInspect('test1') as JsonValue]);
    const theirs = outputOf(golden('01-default-bridge.txt'), 'docker inspect test1');
    const norm = (x: string): string =>
      normalise(x)
        .replace(/"Image": "sha256:<ID\d+>"/, '"Image": "sha256:<IMG>"')
        .replace(/\/var\/lib\/docker\/overlay2\/[0-9a-f]{64}/g, '/var/lib/docker/overlay2/<L>')
        .replace(/<ID\d+>/g, '<ID>');
    expect(norm(ours)).toBe(norm(theirs));
    engine.createContainer({ name: 'test2', image: 'busybox', cmd: ['sleep', '3600'] });
    engine.startContainer('test2');
    engine.stopContainer('test2');
    const settings = marshal((api.containerInspect('test2') as { NetworkSettings: JsonValue }).NetworkSettings, { escapeHTML: false });
    expect(normalise(settings).replace(/<ID\d+>/g, '<ID>')).toBe(
      normalise(outputOf(golden('01-default-bridge.txt'), 'docker inspect test2 -f "{{json .NetworkSettings}}"')).replace(
        /<ID\d+>/g,
        '<ID>',
      ),
    );
  });

  it('user network endpoint settings: aliases with the short id, IPAMConfig forms (golden 03)', () => {
    const { engine } = dockerHost();
    const api = new DockerApi(engine);
    engine.createNetwork({ name: 'my-net', subnet: ['172.25.0.0/16'], gateway: ['172.25.0.1'] });
    engine.createNetwork({ name: 'mynetwork' });
    engine.createContainer({ name: 'container1', image: 'centos:7', networkMode: 'my-net', ip: '172.25.0.5' });
    engine.startContainer('container1');
    engine.connect('mynetwork', 'container1');
    const nets = marshal((api.containerInspect('container1') as { NetworkSettings: { Networks: JsonValue } }).NetworkSettings.Networks, {
      escapeHTML: false,
    });
    const theirs = outputOf(golden('03-user-defined-bridge.txt'), "docker inspect -f '{{json .NetworkSettings.Networks}}' container1");
    expect(normalise(nets).replace(/<ID\d+>/g, '<ID>')).toBe(normalise(theirs).replace(/<ID\d+>/g, '<ID>'));
  });
});
