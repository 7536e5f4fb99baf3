/**
 * The packet-trace view: the path the last packet took (from Lab.lastTrace()), as an ordered list
 * of hops, routing decisions, netfilter chains with each rule's verdict, NAT rewrites, conntrack
 * and the final delivery or drop. Rules that did not match are folded per chain so the rules that
 * decided stand out. Pure string building: testable without a DOM.
 */
import type { PacketTrace, TraceEvent } from '../../sim/index.ts';
import { code, esc } from './topology.ts';
import { t } from '../../lib/i18n.ts';

const say = t.traceView;

function where(ns: string): string {
  return `<span class="ns">${esc(ns)}</span>`;
}

function describe(e: TraceEvent): { icon: string; cls: string; html: string } {
  switch (e.kind) {
    case 'hop':
      return {
        icon: e.dir === 'out' ? '↗' : '↘',
        cls: 'hop',
        html: `${where(e.ns)} ${e.dir === 'out' ? say.leaves(code(e.iface)) : say.arrives(code(e.iface))}${e.note ? ` <span class="note">${esc(e.note)}</span>` : ''}`,
      };
    case 'bridge':
      return {
        icon: '⇄',
        cls: 'hop',
        html: `${where(e.ns)} ${say.bridge(code(e.bridge), code(e.inPort), e.outPort ? code(e.outPort) : null)}${e.note ? ` <span class="note">${esc(e.note)}</span>` : ''}`,
      };
    case 'route':
      return {
        icon: '➜',
        cls: e.result === 'unreachable' ? 'bad' : 'route',
        html: `${where(e.ns)} ${say.route(code(e.dst), esc(e.result))}${e.via ? ` via ${code(e.via)}` : ''}${e.dev ? ` dev ${code(e.dev)}` : ''}`,
      };
    case 'rule': {
      const decisive = ['ACCEPT', 'DROP', 'REJECT', 'policy-DROP', 'policy-ACCEPT'].includes(e.verdict);
      const bad = e.verdict === 'DROP' || e.verdict === 'REJECT' || e.verdict === 'policy-DROP';
      return {
        icon: bad ? '✖' : e.verdict === 'jump' ? '↪' : decisive ? '✔' : '·',
        cls: bad ? 'bad rule' : decisive || e.verdict === 'jump' || e.verdict === 'match' ? 'rule hit' : 'rule',
        html: `${where(e.ns)} <span class="chain">${esc(e.table)}/${esc(e.chain)}</span> ${code(e.rule)} <span class="verdict">${esc(e.verdict)}</span>`,
      };
    }
    case 'nat':
      return {
        icon: '✎',
        cls: 'nat',
        html: `${where(e.ns)} ${say.rewrote(`<strong>${esc(e.type)}</strong>`, code(e.from), code(e.to))}`,
      };
    case 'conntrack':
      return { icon: '⟲', cls: 'ct', html: `${where(e.ns)} conntrack <strong>${esc(e.state)}</strong> ${code(e.tuple)}` };
    case 'deliver':
      return { icon: '◎', cls: 'ok', html: `${where(e.ns)} ${say.deliveredTo(`<strong>${esc(e.to)}</strong>`)}` };
    case 'drop':
      return { icon: '✖', cls: 'bad', html: `${where(e.ns)} ${say.dropped(esc(e.reason))}` };
  }
}

/** The trace as HTML (an ordered list), or a hint when there is no trace yet. */
export function renderTrace(trace: PacketTrace | null, emptyText: string): string {
  if (!trace) return `<p class="trace-empty">${esc(emptyText)}</p>`;
  const items: string[] = [];
  let folded: string[] = [];
  const flush = (): void => {
    if (!folded.length) return;
    items.push(`<li class="folded"><details><summary>${say.folded(folded.length)}</summary><ol>${folded.join('')}</ol></details></li>`);
    folded = [];
  };
  for (const e of trace.events) {
    const d = describe(e);
    const li = `<li class="ev ${d.cls}"><span class="icon" aria-hidden="true">${d.icon}</span><span>${d.html}</span></li>`;
    if (e.kind === 'rule' && e.verdict === 'nomatch') folded.push(li);
    else {
      flush();
      items.push(li);
    }
  }
  flush();
  const ok = trace.outcome === 'delivered';
  return `<div class="trace-head"><code class="cmd">$ ${esc(trace.command)}</code><div class="pkt">${esc(trace.packet)}</div><span class="outcome ${ok ? 'ok' : 'bad'}">${esc(say.outcome[trace.outcome])}</span></div><ol class="trace-list">${items.join('')}</ol>`;
}

/** The nodes on the path, as `host/node` keys the topology view highlights. */
export function pathKeys(trace: PacketTrace | null): Set<string> {
  const keys = new Set<string>();
  for (const p of trace?.path ?? []) {
    keys.add(`${p.host}/${p.node}`);
    // Path nodes name a namespace and an interface: `docker-node1:docker0`, `container web:eth0`.
    const m = /^(?:container (.+)|([^:]+)):([^:]+)$/.exec(p.node);
    if (m) keys.add(m[1] !== undefined ? `${p.host}/${m[1]}` : `${p.host}/${m[3]}`);
  }
  return keys;
}
