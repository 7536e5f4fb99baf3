/**
 * The order in which the daemon hands a container's port bindings to the bridge driver:
 * go-connections nat.SortPortMap (daemon/network.go buildCreateEndpointOptions), whose
 * comparator puts larger host ports, then larger container ports first. With `-P`, exposed
 * ports without a binding come as dynamic ones.
 */
import type { PortBindingSpec } from './model.ts';

export interface OrderedBinding {
  port: number;
  proto: string;
  hostIp: string;
  /** 0 for a dynamic port; a range `8000-8010` gives start and end. */
  hostStart: number;
  hostEnd: number;
}

export function bindingOrder(exposed: string[], bindings: Map<string, PortBindingSpec[]>, publishAll: boolean): OrderedBinding[] {
  type Entry = { port: number; proto: string; b: PortBindingSpec };
  const entries: Entry[] = [];
  const unbound: string[] = [];
  for (const key of exposed) {
    const list = bindings.get(key);
    const [p, proto] = key.split('/');
    if (list?.length) for (const b of list) entries.push({ port: Number(p), proto, b });
    else if (publishAll) unbound.push(key);
  }
  for (const key of unbound) {
    const [p, proto] = key.split('/');
    entries.push({ port: Number(p), proto, b: { HostIp: '', HostPort: '' } });
  }
  // Go's sort.Sort on up to 12 elements is an insertion sort; Less = hostPort greater || port greater.
  const hp = (e: Entry): number => Number(e.b.HostPort.split('-')[0]) || 0;
  const less = (a: Entry, b: Entry): boolean => hp(a) > hp(b) || a.port > b.port;
  for (let i = 1; i < entries.length; i++)
    for (let j = i; j > 0 && less(entries[j], entries[j - 1]); j--) [entries[j], entries[j - 1]] = [entries[j - 1], entries[j]];
  return entries.map((e) => {
    const [s, t] = e.b.HostPort.split('-');
    const start = Number(s) || 0;
    return { port: e.port, proto: e.proto, hostIp: e.b.HostIp, hostStart: start, hostEnd: t ? Number(t) : start };
  });
}
