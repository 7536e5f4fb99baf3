/**
 * The topology view: an SVG drawn from the simulator's TopologyView. Per host: a box with its eth0
 * and published ports on the top edge, host-network containers inside the host, then one section
 * per bridge (docker0, br-…) — a bar for the bridge, and its containers in a grid, each joined to
 * the bridge by a "bus" line standing for its veth pair. Containers that join another's namespace
 * (container mode) are drawn dashed next to it; `none` containers get their own section. The grid
 * wraps to the width given, so 20+ containers stay readable (the view scrolls vertically).
 * Pure string building: testable without a DOM.
 */
import { t } from '../../lib/i18n.ts';
import type { TopoContainer, TopoHost, TopologyView } from '../../sim/index.ts';

export const CARD_W = 176;
export const CARD_H = 70;
const GUTTER = 18;
const CELL_W = CARD_W + GUTTER + 8;
const ROW_H = CARD_H + 14;
const PAD = 14;
const BAR_H = 26;

const PALETTE = ['#2f7de1', '#d9822b', '#2a9d6f', '#a35bd6', '#d04a6a', '#1f9fb4', '#8a8f2a', '#6a6fd8'];

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `s` escaped, as inline code. */
export function code(s: string): string {
  return `<code>${esc(s)}</code>`;
}

function trunc(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

interface Section {
  kind: 'bridge' | 'host' | 'none';
  title: string;
  subtitle: string;
  bridge?: string;
  color: string;
  cards: { c: TopoContainer; ip: string; note: string; dashed: boolean }[];
}

/** Groups a host's containers into sections: host network, each bridge, no network. */
function sections(host: TopoHost): Section[] {
  const out: Section[] = [];
  const byName = new Map(host.containers.map((c) => [c.name, c]));
  const rootOf = (c: TopoContainer): TopoContainer => {
    let cur = c;
    for (let i = 0; i < 8 && cur.sharesNetnsWith && byName.has(cur.sharesNetnsWith); i++) cur = byName.get(cur.sharesNetnsWith)!;
    return cur;
  };
  const hostNet = host.containers.filter((c) => rootOf(c).networkMode === 'host');
  if (hostNet.length)
    out.push({
      kind: 'host',
      title: t.topo.hostNetwork,
      subtitle: t.topo.hostNetworkSub,
      color: '#7a7f8f',
      cards: hostNet.map((c) => ({
        c,
        ip: t.topo.hostIp,
        note: c.sharesNetnsWith ? t.topo.netnsOf(c.sharesNetnsWith) : t.topo.hostMode,
        dashed: true,
      })),
    });
  host.bridges.forEach((b, i) => {
    const sec: Section = {
      kind: 'bridge',
      title: b.name,
      subtitle: [b.network ? t.topo.network(b.network) : t.topo.bridge, b.cidr ?? ''].filter(Boolean).join(' · '),
      bridge: b.name,
      color: PALETTE[i % PALETTE.length],
      cards: [],
    };
    for (const c of host.containers) {
      const ep = c.endpoints.find((e) => e.bridge === b.name);
      if (ep) sec.cards.push({ c, ip: ep.ip, note: `${ep.iface} ↔ ${ep.hostVeth}`, dashed: false });
      else if (c.sharesNetnsWith) {
        const root = rootOf(c);
        const rep = root.endpoints.find((e) => e.bridge === b.name);
        if (rep && root !== c) sec.cards.push({ c, ip: rep.ip, note: t.topo.netnsOf(c.sharesNetnsWith), dashed: true });
      }
    }
    out.push(sec);
  });
  const none = host.containers.filter((c) => rootOf(c).networkMode === 'none');
  // Stopped containers have no endpoints (Docker releases them): listed apart, dimmed.
  const placed = new Set([...hostNet, ...none, ...out.flatMap((s) => s.cards.map((x) => x.c))]);
  const stopped = host.containers.filter((c) => !placed.has(c));
  if (none.length)
    out.push({
      kind: 'none',
      title: t.topo.noNetwork,
      subtitle: t.topo.loopbackOnly,
      color: '#7a7f8f',
      cards: none.map((c) => ({
        c,
        ip: '127.0.0.1',
        note: c.sharesNetnsWith ? t.topo.netnsOf(c.sharesNetnsWith) : t.topo.noneMode,
        dashed: true,
      })),
    });
  if (stopped.length)
    out.push({
      kind: 'none',
      title: t.topo.notRunning,
      subtitle: t.topo.notRunningSub,
      color: '#7a7f8f',
      cards: stopped.map((c) => ({ c, ip: '—', note: c.networkMode, dashed: true })),
    });
  const natural = (a: { c: TopoContainer }, b: { c: TopoContainer }): number => a.c.name.localeCompare(b.c.name, 'en', { numeric: true });
  for (const s of out) s.cards.sort(natural);
  return out;
}

function card(
  host: string,
  x: number,
  y: number,
  item: Section['cards'][number],
  color: string,
  ports: TopoHost['ports'],
  onPath: Set<string>,
  attention: Set<string>,
): string {
  const { c } = item;
  const running = c.state === 'running';
  const published = [...new Set(ports.filter((p) => p.container === c.name).map((p) => `${p.hostPort}→${p.containerPort}/${p.proto}`))];
  const key = `${host}/${c.name}`;
  const cls = ['node', 'container', running ? '' : 'stopped', onPath.has(key) ? 'on-path' : '', attention.has(c.name) ? 'attention' : '']
    .filter(Boolean)
    .join(' ');
  const label = t.topo.container(c.name, c.image, c.state, item.ip);
  return `<g class="${cls}" data-kind="container" data-host="${esc(host)}" data-name="${esc(c.name)}" tabindex="0" role="button" aria-label="${esc(label)}" transform="translate(${x},${y})">
<rect width="${CARD_W}" height="${CARD_H}" rx="7" class="card" style="--net:${color}"${item.dashed ? ' stroke-dasharray="5 3"' : ''}/>
<rect width="4" height="${CARD_H - 12}" x="0" y="6" rx="2" fill="${color}"/>
<text x="12" y="18" class="name">${esc(trunc(c.name, 20))}</text>
<text x="${CARD_W - 10}" y="18" class="state ${running ? 'up' : 'down'}" text-anchor="end">${running ? '●' : '○'}</text>
<text x="12" y="34" class="ip">${esc(item.ip)}</text>
<text x="12" y="50" class="meta">${esc(trunc(`${c.image} · ${item.note}`, 30))}</text>
${published.length ? `<text x="12" y="64" class="port">⇡ ${esc(trunc(published.join(' '), 26))}</text>` : ''}
</g>`;
}

/**
 * Renders the view as an SVG string, `width` pixels wide (the grid wraps to it). `onPath` holds
 * `host/node` keys on the last packet's path; `attention` holds container and network names an
 * exercise's failing checks are about (the exercise panel's `dnlab:exercise-highlight`).
 */
export function renderTopology(
  view: TopologyView,
  width: number,
  onPath: Set<string> = new Set(),
  attention: Set<string> = new Set(),
): { svg: string; height: number } {
  const w = Math.max(CELL_W + 2 * PAD + 20, Math.floor(width));
  const parts: string[] = [];
  let y = 8;
  const hostW = w - 16;
  const cols = Math.max(1, Math.floor((hostW - 2 * PAD) / CELL_W));
  for (const host of view.hosts) {
    const top = y;
    const inner: string[] = [];
    let cy = top + 34;
    // eth0 and the host's other non-docker interfaces, with published ports, on the top edge.
    // The host's own uplinks: not loopback, not a bridge, not a bridge port (Docker's veths).
    const edge = host.interfaces.filter((i) => i.kind !== 'loopback' && i.kind !== 'bridge' && i.kind !== 'dummy' && !i.master);
    let ex = 12;
    for (const i of edge) {
      const text = `${i.name} ${i.addresses.find((a) => !a.includes(':')) ?? ''}`.trim();
      const tw = text.length * 7 + 16;
      const cls = ['node', 'iface', onPath.has(`${host.name}/${i.name}`) ? 'on-path' : ''].filter(Boolean).join(' ');
      inner.push(
        `<g class="${cls}" data-kind="iface" data-host="${esc(host.name)}" data-name="${esc(i.name)}" tabindex="0" role="button" aria-label="${esc(t.topo.iface(text))}" transform="translate(${8 + ex},${top - 2})"><rect width="${tw}" height="20" rx="10" class="pill"/><text x="${tw / 2}" y="14" text-anchor="middle" class="pill-text">${esc(text)}</text></g>`,
      );
      ex += tw + 8;
    }
    for (const p of host.ports) {
      const text = `${p.hostIp}:${p.hostPort} → ${p.container}:${p.containerPort}/${p.proto}`;
      const tw = text.length * 6.6 + 14;
      if (ex + tw > hostW - 10) break;
      inner.push(
        `<g class="port-tag" transform="translate(${8 + ex},${top - 2})"><rect width="${tw}" height="20" rx="4" class="port-rect"/><text x="7" y="14" class="port-text">${esc(text)}</text></g>`,
      );
      ex += tw + 6;
    }
    for (const sec of sections(host)) {
      const isBridge = sec.kind === 'bridge';
      const bridgeInfo = host.bridges.find((b) => b.name === sec.bridge);
      const bcls = [
        'node',
        'bridge',
        isBridge && onPath.has(`${host.name}/${sec.bridge}`) ? 'on-path' : '',
        isBridge && bridgeInfo?.network && attention.has(bridgeInfo.network) ? 'attention' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const attrs = isBridge
        ? ` data-kind="bridge" data-host="${esc(host.name)}" data-name="${esc(sec.bridge!)}" tabindex="0" role="button" aria-label="${esc(t.topo.bridgeLabel(sec.title, sec.subtitle))}"`
        : '';
      inner.push(
        `<g class="${isBridge ? bcls : 'section'}"${attrs} transform="translate(${8 + PAD},${cy})"><rect width="${hostW - 2 * PAD}" height="${BAR_H}" rx="5" class="${isBridge ? 'bar' : 'bar soft'}" style="--net:${sec.color}"/><text x="10" y="17" class="bar-title">${esc(sec.title)}</text><text x="${10 + sec.title.length * 8 + 12}" y="17" class="bar-sub">${esc(sec.subtitle)}</text></g>`,
      );
      const barBottom = cy + BAR_H;
      cy = barBottom + 10;
      const rows = Math.ceil(sec.cards.length / cols);
      for (let col = 0; col < Math.min(cols, sec.cards.length); col++) {
        const lastRow = Math.floor((sec.cards.length - 1 - col) / cols);
        const tx = 8 + PAD + col * CELL_W + GUTTER / 2;
        if (isBridge)
          inner.push(
            `<line x1="${tx}" y1="${barBottom}" x2="${tx}" y2="${cy + lastRow * ROW_H + CARD_H / 2}" class="trunk" style="--net:${sec.color}"/>`,
          );
      }
      sec.cards.forEach((item, i) => {
        const col = i % cols;
        const row = Math.floor(i / cols);
        const x = 8 + PAD + col * CELL_W + GUTTER;
        const cyy = cy + row * ROW_H;
        if (isBridge)
          inner.push(
            `<line x1="${x - GUTTER / 2}" y1="${cyy + CARD_H / 2}" x2="${x}" y2="${cyy + CARD_H / 2}" class="trunk${item.dashed ? ' dashed' : ''}" style="--net:${sec.color}"/>`,
          );
        inner.push(card(host.name, x, cyy, item, sec.color, host.ports, onPath, attention));
      });
      cy += rows * ROW_H + (rows ? 4 : 0);
      if (!sec.cards.length) {
        inner.push(`<text x="${8 + PAD + 10}" y="${cy + 10}" class="empty">${esc(t.topo.noContainers)}</text>`);
        cy += 22;
      }
    }
    if (!host.bridges.length && !host.containers.length) {
      inner.push(`<text x="${8 + PAD}" y="${cy + 12}" class="empty">${esc(t.topo.empty)}</text>`);
      cy += 26;
    }
    const bottom = cy + 8;
    const hcls = ['host-box', onPath.has(`${host.name}/`) ? 'on-path' : ''].filter(Boolean).join(' ');
    parts.push(
      `<g class="host" data-host="${esc(host.name)}"><rect x="8" y="${top + 8}" width="${hostW}" height="${bottom - top - 8}" rx="10" class="${hcls}"/><text x="${hostW}" y="${top + 26}" text-anchor="end" class="host-name">${esc(host.name)}</text></g>`,
      ...inner,
    );
    y = bottom + 24;
  }
  for (const lan of view.lans) {
    parts.push(
      `<g class="lan"><rect x="8" y="${y}" width="${hostW}" height="24" rx="12" class="lan-bar"/><text x="20" y="${y + 16}" class="bar-title">${esc(lan.name)} ${esc(lan.cidr)}</text><text x="${hostW}" y="${y + 16}" text-anchor="end" class="bar-sub">${esc(lan.hosts.join(' · '))}</text></g>`,
    );
    y += 32;
  }
  const height = y + 4;
  const total = view.hosts.reduce((n, h) => n + h.containers.length, 0);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" class="topo" width="${w}" height="${height}" viewBox="0 0 ${w} ${height}" role="group" aria-label="${esc(t.topo.label(view.hosts.length, total))}">${parts.join('')}</svg>`;
  return { svg, height };
}
