/**
 * Netfilter of one network namespace (iptables, legacy backend).
 * PLACEHOLDER: the full implementation (tables, chains, rules, matches, targets, counters,
 * the iptables / iptables-save / iptables-restore front ends) replaces this file.
 */
import type { Hook, HookResult, PacketView, RuleTraceSink, TableName } from './api.ts';

export interface IptablesResult {
  status: number;
  stdout: string;
  stderr: string;
}

export class Netfilter {
  /** Runs an iptables command line (argv without the program name), as dockerd and the shell do. */
  run(argv: string[]): IptablesResult {
    void argv;
    return { status: 0, stdout: '', stderr: '' };
  }

  /** Walks a table's built-in chain for a hook and returns the verdict. */
  traverse(table: TableName, hook: Hook, pkt: PacketView, trace?: RuleTraceSink): HookResult {
    void table;
    void hook;
    void pkt;
    void trace;
    return { verdict: 'ACCEPT' };
  }
}
