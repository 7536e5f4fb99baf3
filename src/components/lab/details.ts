/** The details shown when a container, bridge or interface is clicked on the topology. */
import type { Lab } from '../../sim/index.ts';
import { code, esc } from './topology.ts';
import { t } from '../../lib/i18n.ts';

const say = t.detailsView;

function row(k: string, v: string): string {
  return `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`;
}

export function renderDetails(lab: Lab, hostName: string, kind: string, name: string): string {
  const host = lab.topology().hosts.find((h) => h.name === hostName);
  if (!host) return '';
  if (kind === 'container') {
    const c = host.containers.find((x) => x.name === name);
    if (!c) return '';
    const rows = [
      row(say.id, code(c.id)),
      row(say.image, esc(c.image)),
      row(say.state, esc(c.state)),
      row(say.networkMode, esc(c.networkMode)),
      row(say.hostname, esc(c.hostname)),
    ];
    for (const ep of c.endpoints)
      rows.push(
        row(
          say.network(ep.network),
          `${code(ep.ip)} · MAC ${code(ep.mac)}<br>${say.vethOn(esc(ep.iface), esc(ep.hostVeth), esc(ep.bridge))}${ep.aliases.length ? `<br>${esc(say.aliases)}: ${esc(ep.aliases.join(', '))}` : ''}`,
        ),
      );
    const ports = host.ports.filter((p) => p.container === c.name);
    if (ports.length)
      rows.push(row(say.ports, ports.map((p) => `${esc(p.hostIp)}:${p.hostPort} → ${p.containerPort}/${p.proto}`).join('<br>')));
    const files = ['/etc/hosts', '/etc/resolv.conf']
      .map((f) => [f, lab.readFile(f, { host: hostName, container: c.name })] as const)
      .filter(([, text]) => text !== null)
      .map(([f, text]) => `<h4>${esc(f)}</h4><pre>${esc(text!)}</pre>`)
      .join('');
    return `<h3>${esc(c.name)}</h3><table>${rows.join('')}</table>${files}`;
  }
  if (kind === 'bridge') {
    const b = host.bridges.find((x) => x.name === name);
    const iface = host.interfaces.find((i) => i.name === name);
    if (!b) return '';
    const members = host.containers.filter((c) => c.endpoints.some((e) => e.bridge === name)).map((c) => c.name);
    return `<h3>${esc(b.name)}</h3><table>${[
      row(say.dockerNetwork, esc(b.network ?? '—')),
      row(say.subnet, esc(b.cidr ?? '—')),
      row(say.addresses, esc(iface?.addresses.join(', ') ?? '—')),
      row('MAC', code(iface?.mac ?? '—')),
      row(say.ports, esc(b.ports.join(', ') || '—')),
      row(say.containers, esc(members.join(', ') || '—')),
    ].join('')}</table>`;
  }
  const i = host.interfaces.find((x) => x.name === name);
  if (!i) return '';
  return `<h3>${esc(i.name)} <small>(${esc(hostName)})</small></h3><table>${[
    row(say.kind, esc(i.kind)),
    row(say.state, i.up ? 'UP' : 'DOWN'),
    row('MAC', code(i.mac)),
    row(say.addresses, esc(i.addresses.join(', ') || '—')),
  ].join('')}</table>`;
}
