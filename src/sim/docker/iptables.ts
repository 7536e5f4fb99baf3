/**
 * The iptables programming of dockerd 20.10, call for call: every rule goes through
 * `netfilter.run(argv)` with the argv libnetwork builds (iptables/iptables.go Raw prepends
 * `--wait`; Exists is `-t T -C CHAIN rule`), in the order and with the checks of
 * drivers/bridge/setup_ip_tables.go, iptables/iptables.go (ProgramChain, Forward, EnsureJumpRule,
 * AddReturnRule), drivers/bridge/link.go and firewall_linux.go (DOCKER-USER).
 */
import type { Netns } from '../net/netns.ts';

/** The calls made, for tests and the trace view. */
export type IptCall = { argv: string[]; status: number };

export class Iptables {
  readonly log: IptCall[] = [];
  /** Whether to keep a log of every call (tests). */
  recording = false;

  constructor(private readonly ns: Netns) {}

  /** Raw: runs `iptables --wait ARGS`; returns the exit status. */
  raw(...args: string[]): number {
    const argv = ['--wait', ...args];
    const r = this.ns.netfilter.run(argv);
    if (this.recording) this.log.push({ argv, status: r.status });
    return r.status;
  }

  exists(table: string, chain: string, ...rule: string[]): boolean {
    return this.raw('-t', table, '-C', chain, ...rule) === 0;
  }

  /** ProgramRule: -A/-I only when the rule is absent, -D only when present. */
  programRule(table: string, chain: string, action: '-A' | '-I' | '-D', rule: string[]): void {
    if (this.exists(table, chain, ...rule) !== (action === '-D')) return;
    this.raw('-t', table, action, chain, ...rule);
  }

  /** NewChain: `-n -L` to test, `-N` when missing. */
  newChain(name: string, table: string): void {
    if (this.raw('-t', table, '-n', '-L', name) !== 0) this.raw('-t', table, '-N', name);
  }

  /** ChainInfo.Remove (errors ignored, as libnetwork does). */
  removeChain(name: string, table: string): void {
    if (table === 'nat') {
      this.raw('-t', 'nat', '-D', 'PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', name);
      this.raw('-t', 'nat', '-D', 'OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '!', '--dst', '127.0.0.0/8', '-j', name);
      this.raw('-t', 'nat', '-D', 'OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', name);
      this.raw('-t', 'nat', '-D', 'PREROUTING');
      this.raw('-t', 'nat', '-D', 'OUTPUT');
    }
    this.raw('-t', table, '-F', name);
    this.raw('-t', table, '-X', name);
  }

  addReturnRule(chain: string): void {
    if (this.exists('filter', chain, '-j', 'RETURN')) return;
    this.raw('-A', chain, '-j', 'RETURN');
  }

  ensureJumpRule(from: string, to: string): void {
    if (this.exists('filter', from, '-j', to)) this.raw('-D', from, '-j', to);
    this.raw('-I', from, '-j', to);
  }

  // ---- driver configure (bridge.go configure) ----------------------------------------------

  /** removeIPChains then setupIPChains: the chains Docker owns, recreated at each daemon start. */
  setupChains(hairpin: boolean): void {
    this.programRule('filter', 'FORWARD', '-D', ['-j', 'DOCKER-ISOLATION']);
    this.removeChain('DOCKER', 'nat');
    this.removeChain('DOCKER', 'filter');
    this.removeChain('DOCKER-ISOLATION-STAGE-1', 'filter');
    this.removeChain('DOCKER-ISOLATION-STAGE-2', 'filter');
    this.removeChain('DOCKER-ISOLATION', 'filter');
    void hairpin;
    this.newChain('DOCKER', 'nat');
    this.newChain('DOCKER', 'filter');
    this.newChain('DOCKER-ISOLATION-STAGE-1', 'filter');
    this.newChain('DOCKER-ISOLATION-STAGE-2', 'filter');
    this.addReturnRule('DOCKER-ISOLATION-STAGE-1');
    this.addReturnRule('DOCKER-ISOLATION-STAGE-2');
  }

  /** setupIPForwarding: when ip_forward was 0, Docker sets it and the FORWARD policy to DROP. */
  setForwardPolicyDrop(): void {
    this.raw('-t', 'filter', '-P', 'FORWARD', 'DROP');
  }

  /** firewall_linux.go arrangeUserFilterRule, after every network creation. */
  arrangeUserChain(): void {
    this.newChain('DOCKER-USER', 'filter');
    this.addReturnRule('DOCKER-USER');
    this.ensureJumpRule('FORWARD', 'DOCKER-USER');
  }

  // ---- per network (setupIPTables, setupNetworkIsolationRules) ------------------------------

  private programChainRule(table: string, chain: string, args: string[], insert: boolean, natPre: boolean): void {
    const exists = this.exists(table, chain, ...args);
    const pre = natPre ? ['-t', 'nat'] : [];
    if (insert && !exists) this.raw(...pre, '-I', chain, ...args);
    else if (!insert && exists) this.raw(...pre, '-D', chain, ...args);
  }

  private setIcc(br: string, icc: boolean, insert: boolean): void {
    const args = ['-i', br, '-o', br, '-j'];
    const accept = [...args, 'ACCEPT'];
    const drop = [...args, 'DROP'];
    if (insert) {
      if (!icc) {
        this.raw('-D', 'FORWARD', ...accept);
        if (!this.exists('filter', 'FORWARD', ...drop)) this.raw('-A', 'FORWARD', ...drop);
      } else {
        this.raw('-D', 'FORWARD', ...drop);
        if (!this.exists('filter', 'FORWARD', ...accept)) this.raw('-I', 'FORWARD', ...accept);
      }
    } else if (!icc) {
      if (this.exists('filter', 'FORWARD', ...drop)) this.raw('-D', 'FORWARD', ...drop);
    } else if (this.exists('filter', 'FORWARD', ...accept)) this.raw('-D', 'FORWARD', ...accept);
  }

  /** setupIPTablesInternal (enable = insert, or its clean-up). */
  private bridgeRules(br: string, subnet: string, icc: boolean, masq: boolean, hairpin: boolean, enable: boolean): void {
    if (masq) this.programChainRule('nat', 'POSTROUTING', ['-s', subnet, '!', '-o', br, '-j', 'MASQUERADE'], enable, true);
    if (masq && !hairpin) this.programChainRule('nat', 'DOCKER', ['-i', br, '-j', 'RETURN'], enable, true);
    if (hairpin)
      this.programChainRule('nat', 'POSTROUTING', ['-m', 'addrtype', '--src-type', 'LOCAL', '-o', br, '-j', 'MASQUERADE'], enable, true);
    this.setIcc(br, icc, enable);
    this.programChainRule('filter', 'FORWARD', ['-i', br, '!', '-o', br, '-j', 'ACCEPT'], enable, false);
  }

  /** setupInternalNetworkRules. */
  private internalRules(br: string, subnet: string, icc: boolean, enable: boolean): void {
    this.programChainRule('filter', 'DOCKER-ISOLATION-STAGE-1', ['-i', br, '!', '-d', subnet, '-j', 'DROP'], enable, false);
    this.programChainRule('filter', 'DOCKER-ISOLATION-STAGE-1', ['-o', br, '!', '-s', subnet, '-j', 'DROP'], enable, false);
    this.setIcc(br, icc, enable);
  }

  /** iptables.go ProgramChain for the nat and filter DOCKER chains. */
  private programChain(table: 'nat' | 'filter', br: string, hairpin: boolean, enable: boolean): void {
    const act = (t: string, chain: string, rule: string[], insertOp: '-A' | '-I'): void => {
      if (!this.exists(t, chain, ...rule) && enable) this.raw(...(t === 'nat' ? ['-t', 'nat'] : []), insertOp, chain, ...rule);
      else if (this.exists(t, chain, ...rule) && !enable) this.raw(...(t === 'nat' ? ['-t', 'nat'] : []), '-D', chain, ...rule);
    };
    if (table === 'nat') {
      act('nat', 'PREROUTING', ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'DOCKER'], '-A');
      const output = ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'DOCKER'];
      if (!hairpin) output.push('!', '--dst', '127.0.0.0/8');
      act('nat', 'OUTPUT', output, '-A');
    } else {
      act('filter', 'FORWARD', ['-o', br, '-j', 'DOCKER'], '-I');
      act('filter', 'FORWARD', ['-o', br, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'], '-I');
    }
  }

  /** setupIPTables + setupNetworkIsolationRules for one bridge network. */
  setupNetwork(o: { bridge: string; subnet: string; icc: boolean; masq: boolean; hairpin: boolean; internal: boolean }): void {
    if (o.internal) {
      this.internalRules(o.bridge, o.subnet, o.icc, true);
    } else {
      this.bridgeRules(o.bridge, o.subnet, o.icc, o.masq, o.hairpin, true);
      this.programChain('nat', o.bridge, o.hairpin, true);
      this.programChain('filter', o.bridge, o.hairpin, true);
    }
    this.ensureJumpRule('FORWARD', 'DOCKER-ISOLATION-STAGE-1');
    if (!o.internal) this.setInc(o.bridge, true);
  }

  /** The clean-up functions registered by setupIPTables, run at network deletion. */
  teardownNetwork(o: { bridge: string; subnet: string; icc: boolean; masq: boolean; hairpin: boolean; internal: boolean }): void {
    if (!o.internal) this.setInc(o.bridge, false);
    if (o.internal) {
      this.internalRules(o.bridge, o.subnet, o.icc, false);
    } else {
      this.bridgeRules(o.bridge, o.subnet, o.icc, o.masq, o.hairpin, false);
      this.programChain('nat', o.bridge, o.hairpin, false);
      this.programChain('filter', o.bridge, o.hairpin, false);
    }
  }

  /** setINC: the two isolation rules of a network. */
  private setInc(br: string, enable: boolean): void {
    const action = enable ? '-I' : '-D';
    this.programRule('filter', 'DOCKER-ISOLATION-STAGE-1', action, ['-i', br, '!', '-o', br, '-j', 'DOCKER-ISOLATION-STAGE-2']);
    this.programRule('filter', 'DOCKER-ISOLATION-STAGE-2', action, ['-o', br, '-j', 'DROP']);
  }

  // ---- per published port (ChainInfo.Forward) ---------------------------------------------

  forward(
    action: '-A' | '-D',
    o: { hostIp: string; hostPort: number; proto: string; containerIp: string; containerPort: number; bridge: string; hairpin: boolean },
  ): void {
    const daddr = o.hostIp === '0.0.0.0' ? '0/0' : o.hostIp;
    const nat = [
      '-p',
      o.proto,
      '-d',
      daddr,
      '--dport',
      String(o.hostPort),
      '-j',
      'DNAT',
      '--to-destination',
      `${o.containerIp}:${o.containerPort}`,
    ];
    if (!o.hairpin) nat.push('!', '-i', o.bridge);
    this.programRule('nat', 'DOCKER', action, nat);
    this.programRule('filter', 'DOCKER', action, [
      '!',
      '-i',
      o.bridge,
      '-o',
      o.bridge,
      '-p',
      o.proto,
      '-d',
      o.containerIp,
      '--dport',
      String(o.containerPort),
      '-j',
      'ACCEPT',
    ]);
    this.programRule('nat', 'POSTROUTING', action, [
      '-p',
      o.proto,
      '-s',
      o.containerIp,
      '-d',
      o.containerIp,
      '--dport',
      String(o.containerPort),
      '-j',
      'MASQUERADE',
    ]);
    if (o.proto === 'sctp')
      this.programRule('mangle', 'POSTROUTING', action, [
        '-p',
        'sctp',
        '--sport',
        String(o.containerPort),
        '-j',
        'CHECKSUM',
        '--checksum-fill',
      ]);
  }

  // ---- legacy links with icc=false (drivers/bridge/link.go, iptables.go) --------------------

  link(action: '-A' | '-D', o: { parentIp: string; childIp: string; port: number; proto: string; bridge: string }): void {
    this.programRule('filter', 'DOCKER', action, [
      '-i',
      o.bridge,
      '-o',
      o.bridge,
      '-p',
      o.proto,
      '-s',
      o.parentIp,
      '-d',
      o.childIp,
      '--dport',
      String(o.port),
      '-j',
      'ACCEPT',
    ]);
    this.programRule('filter', 'DOCKER', action, [
      '-i',
      o.bridge,
      '-o',
      o.bridge,
      '-p',
      o.proto,
      '-s',
      o.childIp,
      '-d',
      o.parentIp,
      '--sport',
      String(o.port),
      '-j',
      'ACCEPT',
    ]);
  }
}
