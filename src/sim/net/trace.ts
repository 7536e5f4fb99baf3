/**
 * Records what a packet walk did, hop by hop and rule by rule, for the packet-trace view and
 * for tests. The event shapes are the public ones of the lab's trace view.
 */
export type TraceEvent =
  | { kind: 'hop'; ns: string; iface: string; dir: 'in' | 'out'; note?: string }
  | { kind: 'bridge'; ns: string; bridge: string; inPort: string; outPort: string | null; note?: string }
  | {
      kind: 'route';
      ns: string;
      dst: string;
      via: string | null;
      dev: string | null;
      result: 'local' | 'forward' | 'output' | 'unreachable';
    }
  | { kind: 'rule'; ns: string; table: string; chain: string; rule: string; verdict: string }
  | { kind: 'nat'; ns: string; type: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'un-NAT'; from: string; to: string }
  | { kind: 'conntrack'; ns: string; state: 'NEW' | 'ESTABLISHED' | 'RELATED' | 'REPLY'; tuple: string }
  | { kind: 'deliver'; ns: string; to: string }
  | { kind: 'drop'; ns: string; reason: string }
  | { kind: 'packet'; ns: string; text: string };

export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  /** Walks can be long (1,000 rules): keep the trace bounded. */
  constructor(private readonly limit = 20_000) {}

  event(e: TraceEvent): void {
    if (this.events.length < this.limit) this.events.push(e);
  }
}
