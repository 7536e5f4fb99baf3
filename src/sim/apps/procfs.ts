/**
 * /proc/sys/net of a namespace as files: reading shows the sysctl, writing sets it (as
 * `echo 1 > /proc/sys/net/ipv4/ip_forward` does), with the kernel's validation (EINVAL).
 */
import { FsError, type Vfs } from '../base/vfs.ts';
import type { Netns } from '../net/netns.ts';

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
}
