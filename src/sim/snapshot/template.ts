/**
 * Templates in exercise checks, evaluated against the learner's snapshot: an exercise names
 * what is random on a real host (ids, addresses chosen by IPAM, ephemeral host ports) through
 * the state itself, so a right answer passes whatever the seed.
 *
 *   {{ip NAME [NETWORK]}}      the container's IPv4 address (on NETWORK; its only one otherwise)
 *   {{mac NAME [NETWORK]}}     its MAC address there
 *   {{id NAME}} {{shortId NAME}}   the container's id, full or the 12-hex short form
 *   {{hostname NAME}}          Config.Hostname
 *   {{gateway NET}} {{subnet NET}} {{bridge NET}} {{netId NET}}   a network's IPAM and bridge
 *   {{hostPort NAME PORT[/PROTO]}}  the host port published for a container port
 */
import type { ContainerSnapshot, EndpointSnapshot, HostSnapshot, NetworkSnapshot } from './types.ts';

export class TemplateError extends Error {}

export function findContainer(host: HostSnapshot, name: string): ContainerSnapshot | undefined {
  return host.containers.find((c) => c.name === name);
}

export function findNetwork(host: HostSnapshot, name: string): NetworkSnapshot | undefined {
  return host.networks.find((n) => n.name === name);
}

/**
 * The endpoints through which a container is reached: its own, or, in `container:X` mode,
 * those of the container whose network namespace it joined (Docker's ContainerJSON shows none).
 */
export function effectiveEndpoints(host: HostSnapshot, c: ContainerSnapshot, depth = 0): EndpointSnapshot[] {
  if (c.networkMode.startsWith('container:') && depth < 8) {
    const other = findContainer(host, c.networkMode.slice('container:'.length));
    return other ? effectiveEndpoints(host, other, depth + 1) : [];
  }
  return c.networks;
}

function endpoint(host: HostSnapshot, name: string, network: string | undefined): EndpointSnapshot {
  const c = findContainer(host, name);
  if (!c) throw new TemplateError(`there is no container \`${name}\``);
  const eps = effectiveEndpoints(host, c);
  if (network !== undefined) {
    const ep = eps.find((e) => e.network === network);
    if (!ep) throw new TemplateError(`\`${name}\` is not on \`${network}\``);
    return ep;
  }
  const withIp = eps.filter((e) => e.ip);
  if (withIp.length === 0) throw new TemplateError(`\`${name}\` has no IP address`);
  return withIp[0];
}

function normPort(p: string): string {
  return p.includes('/') ? p : `${p}/tcp`;
}

export function renderTemplate(text: string, host: HostSnapshot): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
    const [fn, ...args] = expr.split(/\s+/);
    const need = (n: number): void => {
      if (args.length < n) throw new TemplateError(`template {{${expr}}} needs ${n} argument${n > 1 ? 's' : ''}`);
    };
    const net = (): NetworkSnapshot => {
      need(1);
      const n = findNetwork(host, args[0]);
      if (!n) throw new TemplateError(`there is no network \`${args[0]}\``);
      return n;
    };
    const ctr = (): ContainerSnapshot => {
      need(1);
      const c = findContainer(host, args[0]);
      if (!c) throw new TemplateError(`there is no container \`${args[0]}\``);
      return c;
    };
    switch (fn) {
      case 'ip': {
        need(1);
        const ip = endpoint(host, args[0], args[1]).ip;
        if (!ip) throw new TemplateError(`\`${args[0]}\` has no IP address`);
        return ip;
      }
      case 'mac': {
        need(1);
        const mac = endpoint(host, args[0], args[1]).mac;
        if (!mac) throw new TemplateError(`\`${args[0]}\` has no MAC address`);
        return mac;
      }
      case 'id':
        return ctr().id;
      case 'shortId':
        return ctr().id.slice(0, 12);
      case 'hostname':
        return ctr().hostname;
      case 'gateway': {
        const g = net().gateway;
        if (!g) throw new TemplateError(`network \`${args[0]}\` has no gateway`);
        return g;
      }
      case 'subnet': {
        const s = net().subnet;
        if (!s) throw new TemplateError(`network \`${args[0]}\` has no subnet`);
        return s;
      }
      case 'bridge': {
        const b = net().bridge;
        if (!b) throw new TemplateError(`network \`${args[0]}\` has no bridge`);
        return b;
      }
      case 'netId':
        return net().id;
      case 'hostPort': {
        need(2);
        const c = ctr();
        const b = c.ports.find((p) => p.containerPort === normPort(args[1]));
        if (!b) throw new TemplateError(`\`${c.name}\` does not publish ${normPort(args[1])}`);
        return String(b.hostPort);
      }
      default:
        throw new TemplateError(`unknown template {{${expr}}}`);
    }
  });
}
