/**
 * The daemon-wide host port allocator (libnetwork portallocator/portallocator.go, 20.10.22+):
 * state per host IP string × protocol; a dynamic request walks on from the last port handed
 * out (starting at the range end, so the first one is the range begin) and wraps; freed ports
 * are not reused until the walk comes round again. An explicit port only has to be free for
 * that same IP string and protocol.
 */
import { DockerError } from './errors.ts';

interface PortMap {
  used: Set<number>;
  last: number;
}

export class PortAllocator {
  private readonly maps = new Map<string, PortMap>();

  /** `range()` is read at each request, as Docker reads ip_local_port_range. */
  constructor(private readonly range: () => [number, number]) {}

  private map(ip: string, proto: string): PortMap {
    const key = `${ip}/${proto}`;
    let m = this.maps.get(key);
    if (!m) {
      m = { used: new Set(), last: this.range()[1] };
      this.maps.set(key, m);
    }
    return m;
  }

  /** RequestPortInRange: `start === end === 0` asks for an ephemeral port. */
  request(ip: string, proto: string, start: number, end: number): number {
    const m = this.map(ip, proto);
    if (start > 0 && start === end) {
      if (m.used.has(start)) throw new DockerError('system', `Bind for ${ip}:${start} failed: port is already allocated`);
      m.used.add(start);
      return start;
    }
    const [begin, stop] = start === 0 && end === 0 ? this.range() : [start, end];
    let port = m.last < begin || m.last > stop ? stop : m.last;
    for (let i = 0; i <= stop - begin; i++) {
      port++;
      if (port > stop) port = begin;
      if (!m.used.has(port)) {
        m.used.add(port);
        m.last = port;
        return port;
      }
    }
    throw new DockerError('system', 'all ports are allocated');
  }

  release(ip: string, proto: string, port: number): void {
    this.maps.get(`${ip}/${proto}`)?.used.delete(port);
  }
}
