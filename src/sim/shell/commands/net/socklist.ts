/**
 * What `ss` and `netstat` share: the namespace's sockets in /proc/net/{tcp,udp}[6] order,
 * which process holds each one as seen from the caller's PID namespace, and service names
 * from /etc/services (getservbyport).
 */
import type { CommandContext } from '../../interp.ts';
import type { Socket } from '../../../net/sockets.ts';
import { formatIp4 } from '../../../net/ip.ts';

export interface SockView {
  sock: Socket;
  family: 4 | 6;
  /** The local address text without brackets (`0.0.0.0`, `::`). */
  addr: string;
  /** Holder as this PID namespace sees it (`null` when the process is not visible here). */
  owner: { pid: number; name: string; fd: number } | null;
}

/** Sockets of one protocol, IPv4 first then IPv6 (the /proc/net/tcp then tcp6 order). */
export function socketsOf(ctx: CommandContext, proto: 'tcp' | 'udp'): SockView[] {
  const socks = ctx.target.netns.sockets.all().filter((s) => s.proto === proto);
  const out: SockView[] = [];
  for (const fam of [4, 6] as const) {
    for (const s of socks) {
      if (s.local.family !== fam) continue;
      out.push({
        sock: s,
        family: fam,
        addr: s.local.family === 4 ? formatIp4(s.local.ip) : s.local.ip,
        owner: ownerOf(ctx, s),
      });
    }
  }
  return out;
}

/**
 * ss/netstat find a socket's holder through /proc/PID/fd, so only processes of the caller's
 * PID namespace show. The model records the holder's pid in the namespace it was started
 * from; a process seen here under another pid (a container's view) is matched by name and
 * network namespace.
 */
function ownerOf(ctx: CommandContext, s: Socket): SockView['owner'] {
  const o = s.owner;
  if (!o) return null;
  const procs = ctx.target.procs;
  const direct = procs.get(o.pid);
  if (direct && (direct.comm === o.name || direct.netnsId === ctx.target.netns.id)) return { pid: o.pid, name: o.name, fd: o.fd };
  const byName = procs.list().find((p) => p.comm === o.name && p.netnsId === ctx.target.netns.id);
  if (byName) return { pid: byName.pid, name: o.name, fd: o.fd };
  return null;
}

/** getservbyport from the target's /etc/services; null when it has no entry. */
export function serviceName(ctx: CommandContext, port: number, proto: 'tcp' | 'udp'): string | null {
  let text: string;
  try {
    text = ctx.target.fs.read('/etc/services');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length >= 2 && f[1] === `${port}/${proto}`) return f[0];
  }
  return null;
}

/** gethostbyaddr through /etc/hosts (the lab has no reverse DNS). */
export function hostName(ctx: CommandContext, addr: string): string | null {
  let text: string;
  try {
    text = ctx.target.fs.read('/etc/hosts');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f[0] === addr && f[1]) return f[1];
  }
  return null;
}
