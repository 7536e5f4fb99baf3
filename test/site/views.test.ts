// The site's pure view code: topology SVG, packet trace, saved-lab validation, snippet parsing.
import { describe, expect, test } from 'vitest';
import { renderTopology, CARD_W, CARD_H } from '../../src/components/lab/topology.ts';
import { renderTrace, pathKeys } from '../../src/components/lab/trace.ts';
import { validate, MAX_SHARE_CHARS } from '../../src/lib/lab-store.ts';
import { LineEditor } from '../../src/components/terminal/line-editor.ts';
import { wordWrap } from '../../src/components/terminal/word-wrap.ts';
import { codeBlocks, commands } from '../content/parse.ts';
import type { PacketTrace } from '../../src/sim/index.ts';
import { busyTopology } from './fixtures.ts';

describe('topology view', () => {
  test('draws every container of a busy host (24+) once per network, without overlapping cards', () => {
    const view = busyTopology();
    const { svg } = renderTopology(view, 900);
    for (const c of view.hosts[0].containers) expect(svg, c.name).toContain(`data-name="${c.name}"`);
    expect(svg).toContain('0.0.0.0:8080 → web-1:80/tcp');
    expect(svg).toMatch(/data-kind="bridge"[^>]*data-name="docker0"/);
    // Cards never overlap: collect their translate() positions.
    const boxes = [...svg.matchAll(/data-kind="container"[^>]*transform="translate\(([\d.]+),([\d.]+)\)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(boxes.length).toBeGreaterThanOrEqual(27);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [ax, ay] = boxes[i];
        const [bx, by] = boxes[j];
        const overlap = ax < bx + CARD_W && bx < ax + CARD_W && ay < by + CARD_H && by < ay + CARD_H;
        expect(overlap, `cards ${i} and ${j}`).toBe(false);
      }
    // Every card is inside the width given: nothing is drawn off the right edge.
    for (const [x] of boxes) expect(x + CARD_W).toBeLessThanOrEqual(900);
  });

  test('wraps to the width: a narrow panel gets more rows, not smaller text', () => {
    const wide = renderTopology(busyTopology(), 1400);
    const narrow = renderTopology(busyTopology(), 420);
    expect(narrow.height).toBeGreaterThan(wide.height);
    // Drawn at 1:1 (no scaling down): the SVG is exactly as wide as the panel.
    expect(narrow.svg).toMatch(/<svg[^>]* width="420"/);
  });

  test('escapes names and marks the nodes on a trace path', () => {
    const view = busyTopology();
    view.hosts[0].containers[0].name = '<x>&"';
    const { svg } = renderTopology(view, 800, new Set(['docker-node1/docker0']));
    expect(svg).not.toContain('<x>');
    expect(svg).toContain('&lt;x&gt;&amp;&quot;');
    expect(svg).toMatch(/class="node bridge on-path"/);
  });

  test('outlines the containers and networks an exercise is about', () => {
    const { svg } = renderTopology(busyTopology(), 900, new Set(), new Set(['web-3', 'backend']));
    expect(svg).toMatch(/class="node container attention" data-kind="container" data-host="docker-node1" data-name="web-3"/);
    expect(svg).toMatch(/class="node bridge attention"[^>]*data-name="br-3f2a1b0c9d8e"/);
  });

  test('an empty host says so', () => {
    const { svg } = renderTopology({ hosts: [{ name: 'h', interfaces: [], bridges: [], containers: [], ports: [] }], lans: [] }, 600);
    expect(svg).toContain('no bridges or containers yet');
  });
});

describe('packet trace view', () => {
  const trace: PacketTrace = {
    command: 'curl 192.168.100.200:8080',
    packet: 'TCP 192.168.100.1:40000 → 192.168.100.200:8080 SYN',
    outcome: 'delivered',
    events: [
      { kind: 'hop', ns: 'docker-node1', iface: 'eth0', dir: 'in' },
      {
        kind: 'rule',
        ns: 'docker-node1',
        table: 'nat',
        chain: 'PREROUTING',
        rule: '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
        verdict: 'jump',
      },
      { kind: 'rule', ns: 'docker-node1', table: 'nat', chain: 'DOCKER', rule: '-A DOCKER -i docker0 -j RETURN', verdict: 'nomatch' },
      { kind: 'nat', ns: 'docker-node1', type: 'DNAT', from: '192.168.100.200:8080', to: '172.17.0.2:80' },
      { kind: 'deliver', ns: 'web', to: 'nginx' },
    ],
    path: [
      { host: 'docker-node1', node: 'eth0' },
      { host: 'docker-node1', node: 'docker0' },
      { host: 'docker-node1', node: 'web' },
    ],
  };
  test('lists hops, folds rules that did not match, shows NAT rewrites and the outcome', () => {
    const html = renderTrace(trace, 'none');
    expect(html).toContain('<strong>DNAT</strong> rewrote <code>192.168.100.200:8080</code> → <code>172.17.0.2:80</code>');
    expect(html).toContain('1 rule did not match');
    expect(html).toContain('delivered');
    expect(pathKeys(trace)).toEqual(new Set(['docker-node1/eth0', 'docker-node1/docker0', 'docker-node1/web']));
    const real = pathKeys({
      ...trace,
      path: [
        { host: 'docker-node1', node: 'docker-node1:docker0' },
        { host: 'docker-node1', node: 'container web:eth0' },
      ],
    });
    expect(real.has('docker-node1/docker0') && real.has('docker-node1/web')).toBe(true);
  });
  test('without a trace, a hint', () => {
    expect(renderTrace(null, 'Run ping')).toContain('Run ping');
  });
});

describe('saved labs', () => {
  const ok = {
    v: 1,
    chapter: 'c',
    seed: 1,
    log: [
      { h: 'docker-node1', c: 'echo hi' },
      { h: 'docker-node1', c: 'ping x', ms: 3000 },
      { h: 'docker-node1', w: '/etc/x', text: 'y', ctr: null },
    ],
  };
  test('a well-formed lab is accepted', () => {
    expect(validate(ok, 'c')).toEqual(ok);
  });
  test.each([
    ['another chapter', { ...ok, chapter: 'd' }],
    ['another version', { ...ok, v: 2 }],
    ['a bad seed', { ...ok, seed: -1 }],
    ['a bad entry', { ...ok, log: [{ h: 'x' }] }],
    ['a negative duration', { ...ok, log: [{ h: 'x', c: 'y', ms: -5 }] }],
    ['not an object', 'hello'],
    ['null', null],
  ])('%s is rejected', (_name, data) => {
    expect(validate(data, 'c')).toBeNull();
  });
  test('share links have a size limit', () => {
    expect(MAX_SHARE_CHARS).toBeLessThanOrEqual(64_000);
  });
});

describe('line editor', () => {
  test('Ctrl-W, Ctrl-U, Ctrl-K and cursor movement edit like readline', () => {
    const e = new LineEditor();
    for (const ch of 'echo one two') e.feed(ch);
    e.feed('\x17');
    expect(e.line).toBe('echo one ');
    e.feed('\x01');
    e.feed('\x1b[C');
    e.feed('\x0b');
    expect(e.line).toBe('e');
    e.feed('\x05');
    e.feed('\x15');
    expect(e.line).toBe('');
  });
  test('history walks back and forth and keeps the draft', () => {
    const e = new LineEditor();
    for (const l of ['a', 'b']) {
      for (const ch of l) e.feed(ch);
      e.feed('\r');
    }
    for (const ch of 'dr') e.feed(ch);
    e.feed('\x1b[A');
    expect(e.line).toBe('b');
    e.feed('\x1b[A');
    expect(e.line).toBe('a');
    e.feed('\x1b[B');
    e.feed('\x1b[B');
    expect(e.line).toBe('dr');
  });
  test('replace() keeps a cursor inside the line (completion in the middle)', () => {
    const e = new LineEditor();
    const seq = e.replace('docker ps -a', 9);
    expect(e.cursor).toBe(9);
    expect(seq.endsWith('\x1b[3D')).toBe(true);
  });
});

describe('snippet parsing', () => {
  test('finds run and output blocks; joins continued lines', () => {
    const blocks = codeBlocks('x\n```sh run\ndocker run \\\n  --rm a\nls\n```\n\n```text output\nhi\n[exit 1]\n```\n');
    expect(blocks.map((b) => b.meta)).toEqual(['run', 'output']);
    expect(commands(blocks[0].code)).toEqual(['docker run \\\n  --rm a', 'ls']);
  });
});

describe('wordWrap', () => {
  test('breaks at spaces within the width, and leaves a word longer than the width whole', () => {
    expect(wordWrap('Type `help` to start.', 12)).toEqual(['Type `help`', 'to start.']);
    expect(wordWrap('a verylongword b', 5)).toEqual(['a', 'verylongword', 'b']);
    expect(wordWrap('fits', 80)).toEqual(['fits']);
  });
});
