/**
 * Loads every command module so that each registers itself. One import per module; keep the
 * sections so parallel work does not collide.
 */
// -- coreutils, filters, process tools
import './core/index.ts';
// -- network tools (ip, ifconfig, route, ss, netstat, bridge, brctl, sysctl)
import './net/ip.ts';
import './net/ifconfig.ts';
import './net/route.ts';
import './net/brctl.ts';
import './net/bridge.ts';
import './net/sysctl.ts';
import './net/ss.ts';
import './net/netstat.ts';
// -- netfilter (iptables, iptables-save, iptables-restore)
import './iptables.ts';
// -- clients (ping, curl, wget, nc, telnet, nslookup, tcpdump, traceroute)
import './clients/ping.ts';
import './clients/http-clients.ts';
import './clients/nc-dns.ts';
import './clients/telnet.ts';
import './clients/tcpdump.ts';
import './clients/busybox.ts';
import './clients/daemons.ts';
import './clients/app-tools.ts';
// -- system tools (dockerd, timeout)
import './system/dockerd.ts';
import './system/systemctl.ts';
// -- docker CLI
import './docker/index.ts';
export { lookupCommand, commandNames, register } from './registry.ts';
