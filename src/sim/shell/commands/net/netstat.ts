/**
 * `netstat` — net-tools 2.10 (netstat.c) on hosts and glibc images, busybox
 * (networking/netstat.c) elsewhere. Internet sockets from the namespace's socket table
 * (/proc/net/tcp, tcp6, udp, udp6 order) and `-r` (the routing table, as `route`).
 * The model has no UNIX domain sockets: that section lists none.
 */
import type { CommandContext } from '../../interp.ts';
import { register } from '../registry.ts';
import { err, padEnd } from './common.ts';
import { hostName, serviceName, socketsOf, type SockView } from './socklist.ts';
import { printTable } from './route.ts';

const TCP_STATE: Record<string, string> = { LISTEN: 'LISTEN', ESTAB: 'ESTABLISHED', UNCONN: 'CLOSE' };

function netstatMain(ctx: CommandContext): number {
  const busybox = ctx.target.userland === 'busybox';
  const o = new Set<string>();
  for (const a of ctx.argv.slice(1)) {
    if (a.startsWith('--')) {
      const map: Record<string, string> = {
        '--numeric': 'n',
        '--listening': 'l',
        '--all': 'a',
        '--tcp': 't',
        '--udp': 'u',
        '--programs': 'p',
        '--route': 'r',
        '--unix': 'x',
      };
      const c = map[a];
      if (!c || busybox) {
        err(ctx, busybox ? `netstat: unrecognized option '${a}'` : `netstat: unrecognized option '${a}'`);
        return busybox ? 1 : 4;
      }
      o.add(c);
    } else if (a.startsWith('-')) {
      for (const c of a.slice(1)) {
        if (!(busybox ? 'lantuwxrepW' : 'lantuwxrepvWe').includes(c)) {
          err(ctx, `netstat: invalid option -- '${c}'`);
          return busybox ? 1 : 4;
        }
        o.add(c);
      }
    } else {
      err(ctx, busybox ? `netstat: invalid argument '${a}'` : `netstat: unknown option '${a}'`);
      return busybox ? 1 : 4;
    }
  }
  if (o.has('r')) {
    printTable(ctx, ctx.target.netns, o.has('n'), busybox, !o.has('e') || busybox);
    return 0;
  }
  const numeric = o.has('n');
  const all = o.has('a');
  const listening = all || o.has('l');
  const connected = all || !o.has('l');
  const anyProto = o.has('t') || o.has('u') || o.has('w') || o.has('x');
  const tcp = !anyProto || o.has('t');
  const udp = !anyProto || o.has('u');
  const unix = !anyProto || o.has('x');
  const prog = o.has('p');
  const which = all ? '(servers and established)' : listening ? '(only servers)' : '(w/o servers)';
  let out = '';
  if (tcp || udp || (!anyProto && !busybox)) {
    out += `Active Internet connections ${which}\n`;
    out += 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ';
    out += busybox ? ` ${prog ? 'PID/Program name    ' : ''}\n` : `${prog ? ' PID/Program name    ' : ''}\n`;
  }
  const addr = (v: SockView, text: string, port: number, proto: 'tcp' | 'udp'): string => {
    let host = text;
    if (!numeric) host = hostName(ctx, text) ?? (v.family === 6 && !busybox ? `[${text}]` : text);
    const p = port === 0 ? '*' : numeric ? String(port) : (serviceName(ctx, port, proto) ?? String(port));
    return `${host}:${p}`;
  };
  const progText = (v: SockView): string => {
    const t = v.owner ? `${v.owner.pid}/${v.owner.name}` : '-';
    return t.slice(0, 19);
  };
  const line = (proto: 'tcp' | 'udp', v: SockView): void => {
    const s = v.sock;
    const isListen = s.state !== 'ESTAB';
    if ((isListen && !listening) || (!isListen && !connected)) return;
    const local = addr(v, v.addr, s.port, proto);
    const remote = addr(v, v.family === 4 ? '0.0.0.0' : '::', 0, proto);
    const recvQ = 0;
    const sendQ = 0;
    let state = proto === 'tcp' ? TCP_STATE[s.state] : s.state === 'ESTAB' ? 'ESTABLISHED' : '';
    if (busybox) {
      out += `${proto}   ${String(recvQ).padStart(6)} ${String(sendQ).padStart(6)} ${padEnd(local, 23)} ${padEnd(remote, 23)} ${padEnd(state, 12)}`;
      if (prog) out += progText(v);
      out += '\n';
      return;
    }
    const name = v.family === 6 ? `${proto}6` : proto;
    if (proto === 'tcp') {
      out += `${padEnd(name, 4)}  ${String(recvQ).padStart(6)} ${String(sendQ).padStart(6)} ${padEnd(local, 23)} ${padEnd(remote, 23)} ${padEnd(state, 11)}`;
    } else {
      state = state === 'CLOSE' ? '' : state;
      out += `${padEnd(name, 5)} ${String(recvQ).padStart(6)} ${String(sendQ).padStart(6)} ${padEnd(local, 23)} ${padEnd(remote, 23)} ${padEnd(state, 11)}`;
    }
    if (prog) out += ` ${padEnd(progText(v), 20)}`;
    out += '\n';
  };
  if (tcp) for (const v of socketsOf(ctx, 'tcp')) line('tcp', v);
  if (udp) for (const v of socketsOf(ctx, 'udp')) line('udp', v);
  if (unix) {
    out += `Active UNIX domain sockets ${which}\n`;
    if (busybox) out += `Proto RefCnt Flags       Type       State         I-Node ${prog ? 'PID/Program name    ' : ''}Path\n`;
    else out += `Proto RefCnt Flags       Type       State         I-Node  ${prog ? ' PID/Program name    ' : ''} Path\n`;
  }
  ctx.stdout.write(out);
  return 0;
}

register({ name: 'netstat', run: netstatMain, paths: { gnu: '/usr/bin/netstat', busybox: '/bin/netstat' } });
