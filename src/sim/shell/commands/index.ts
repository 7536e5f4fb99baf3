/**
 * Loads every command module so that each registers itself. One import per module; keep the
 * sections so parallel work does not collide.
 */
// -- coreutils, filters, process tools
import './core/index.ts';
// -- network tools (ip, ifconfig, route, ss, netstat, bridge, brctl, sysctl)
// -- netfilter (iptables, iptables-save, iptables-restore)
// -- clients (ping, curl, wget, nc, telnet, nslookup, tcpdump, traceroute)
// -- docker CLI
export { lookupCommand, commandNames, register } from './registry.ts';
