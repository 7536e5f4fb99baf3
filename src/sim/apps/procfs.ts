/**
 * /proc/sys/net of a namespace as files: reading shows the sysctl, writing sets it (as
 * `echo 1 > /proc/sys/net/ipv4/ip_forward` does), with the kernel's validation (EINVAL).
 */
import { FsError, type FsNode, type Vfs } from '../base/vfs.ts';
import type { Netns } from '../net/netns.ts';
import type { Link } from '../net/types.ts';

function boolFile(get: () => boolean, set: (v: boolean) => void) {
  return {
    read: () => (get() ? '1\n' : '0\n'),
    write: (text: string) => {
      const v = text.trim();
      if (v !== '0' && v !== '1') throw new FsError('EINVAL', 'Invalid argument');
      set(v === '1');
    },
  };
}

/**
 * /proc/sys/net/ipv4/conf/<dev>/: one directory per interface, present while the interface is.
 * The directory's children are computed on each lookup (a getter), as procfs does.
 */
function confDir(ns: Netns, now: () => number): FsNode {
  const file = (dynamic: FsNode['dynamic']): FsNode => ({ kind: 'file', mode: 0o644, mtime: now(), dynamic });
  const devDir = (link: Link): FsNode => ({
    kind: 'dir',
    mode: 0o555,
    mtime: now(),
    children: new Map([
      [
        'route_localnet',
        file(
          boolFile(
            () => link.routeLocalnet,
            (v) => (link.routeLocalnet = v),
          ),
        ),
      ],
      [
        'forwarding',
        file(
          boolFile(
            () => ns.sysctls.ipForward,
            (v) => (ns.sysctls.ipForward = v),
          ),
        ),
      ],
    ]),
  });
  return {
    kind: 'dir',
    mode: 0o555,
    mtime: now(),
    get children(): Map<string, FsNode> {
      const m = new Map<string, FsNode>();
      const all = { routeLocalnet: false } as Link;
      m.set('all', devDir(all));
      m.set('default', devDir({ routeLocalnet: false } as Link));
      for (const l of ns.sortedLinks()) m.set(l.name, devDir(l));
      return m;
    },
  };
}

/** Installs /proc/sys/net/... files bound to `ns` into `fs`. */
export function mountProcSys(fs: Vfs, ns: Netns, now: () => number): void {
  const put = (path: string, dynamic: { read(): string; write?(t: string): void }) =>
    fs.put(path, { kind: 'file', mode: 0o644, mtime: now(), dynamic });
  put(
    '/proc/sys/net/ipv4/ip_forward',
    boolFile(
      () => ns.sysctls.ipForward,
      (v) => (ns.sysctls.ipForward = v),
    ),
  );
  put(
    '/proc/sys/net/ipv4/icmp_echo_ignore_all',
    boolFile(
      () => ns.sysctls.icmpEchoIgnoreAll,
      (v) => (ns.sysctls.icmpEchoIgnoreAll = v),
    ),
  );
  put(
    '/proc/sys/net/bridge/bridge-nf-call-iptables',
    boolFile(
      () => ns.sysctls.bridgeNfCallIptables,
      (v) => (ns.sysctls.bridgeNfCallIptables = v),
    ),
  );
  put('/proc/sys/net/ipv4/ip_local_port_range', {
    read: () => `${ns.sysctls.ipLocalPortRange[0]}\t${ns.sysctls.ipLocalPortRange[1]}\n`,
    write: (t) => {
      const [a, b] = t.trim().split(/\s+/).map(Number);
      if (!(a > 0 && b >= a && b < 65536)) throw new FsError('EINVAL', 'Invalid argument');
      ns.sysctls.ipLocalPortRange = [a, b];
    },
  });
  fs.put('/proc/sys/net/ipv4/conf', confDir(ns, now));
}
