/**
 * busybox nc (client and `-l`/`-ll` listener with `-e PROG`), busybox nslookup and glibc's
 * `getent hosts`.
 */
import type { CommandContext } from '../../interp.ts';
import type { Job } from '../../runtime.ts';
import { register } from '../registry.ts';
import { formatIp4, parseIp4, readFileOf, relayTerminal, resolve, stackOf } from './common.ts';
import { errnoText } from './ping.ts';
import { parseResolvConf, queryServer, hostsLookup } from '../../../apps/dns.ts';
import { listenEcho } from '../../../apps/servers.ts';

function nc(ctx: CommandContext): Job {
  return (function* (): Job {
    let listen = 0;
    let port: number | null = null;
    let waitS: number | null = null;
    let exec: string | null = null;
    const pos: string[] = [];
    const args = ctx.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.startsWith('-') && a.length > 1) {
        for (let j = 1; j < a.length; j++) {
          const f = a[j];
          if ('pwe'.includes(f)) {
            const v = a.slice(j + 1) || args[++i];
            if (v === undefined) {
              ctx.stderr.write(`nc: option requires an argument -- '${f}'\n`);
              return 1;
            }
            if (f === 'p') port = Number(v);
            else if (f === 'w') waitS = Number(v);
            else exec = [v, ...args.slice(i + 1)].join(' ');
            if (f === 'e') i = args.length;
            break;
          }
          if (f === 'l') listen++;
          else if (f === 'v' || f === 'n') continue;
          else {
            ctx.stderr.write(`nc: invalid option -- '${f}'\n`);
            return 1;
          }
        }
      } else pos.push(a);
    }
    const ns = ctx.target.netns;
    if (listen) {
      const p = port ?? (pos[1] ? Number(pos[1]) : pos[0] ? Number(pos[0]) : 0);
      const close = listenEcho(
        ns,
        p,
        { pid: ctx.target.spawnPid(), name: 'nc', fd: 3 },
        exec !== null && /(^|\/)cat$/.test(exec),
        listen > 1,
      );
      if (typeof close === 'string') {
        ctx.stderr.write(`nc: bind: ${close}\n`);
        return 1;
      }
      try {
        for (;;) {
          const r = yield { kind: 'sleep', ms: 3_600_000 };
          if (r?.interrupted) return 130;
        }
      } finally {
        close();
      }
    }
    if (pos.length < 2) {
      ctx.stderr.write(
        'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [-iN] [-wN] [-l] [-p PORT] [-f FILE|IPADDR PORT] [-e PROG]\n',
      );
      return 1;
    }
    const res = resolve(ctx, pos[0]);
    if (!res.addrs.length) {
      ctx.stderr.write(`nc: bad address '${pos[0]}'\n`);
      return 1;
    }
    const stack = stackOf(ctx);
    const conn = stack.traced(() => stack.tcpConnect(ns, res.addrs[0], Number(pos[1])));
    if ('error' in conn) {
      if (conn.error === 'ETIMEDOUT') {
        const r = yield { kind: 'sleep', ms: (waitS ?? 127) * 1000 };
        if (r?.interrupted) return 130;
        ctx.stderr.write('nc: timed out\n');
        return 1;
      }
      ctx.stderr.write(`nc: can't connect to remote host (${formatIp4(res.addrs[0])}): ${errnoText(conn.error)}\n`);
      return 1;
    }
    // Interactive stdin: send what the user types until EOF (Ctrl-D) or Ctrl-C.
    if ((yield* relayTerminal(ctx, conn)) === 'interrupted') {
      conn.close();
      return 130;
    }
    // After EOF on stdin, -w bounds the wait for the peer.
    if (!conn.peerClosed && waitS !== null) {
      const r = yield { kind: 'sleep', ms: waitS * 1000 };
      if (r?.interrupted) return 130;
    }
    conn.close();
    return 0;
  })();
}

function nslookup(ctx: CommandContext): Job {
  return (function* (): Job {
    const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
    if (!args.length) {
      ctx.stderr.write(
        'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n',
      );
      return 1;
    }
    const name = args[0];
    const conf = parseResolvConf(readFileOf(ctx)('/etc/resolv.conf') ?? '');
    const serverText = args[1] ?? conf.nameservers[0] ?? '127.0.0.1';
    const server = parseIp4(serverText);
    if (server === null) {
      ctx.stderr.write(`nslookup: bad address '${serverText}'\n`);
      return 1;
    }
    const stack = stackOf(ctx);
    const ns = ctx.target.netns;
    const a = stack.traced(() => queryServer(stack, ns, server, name, 'A'));
    // busybox connect()s its UDP socket first: no route fails there; a refusal comes back later.
    if (a.kind === 'unreachable') {
      ctx.stderr.write(`nslookup: can't connect to remote host (${serverText}): ${errnoText(a.errno)}\n`);
      return 1;
    }
    if (a.kind === 'refused') {
      ctx.stdout.write(`nslookup: write to '${serverText}': Connection refused\n`);
      ctx.stdout.write(';; connection timed out; no servers could be reached\n\n');
      return 1;
    }
    if (a.kind === 'timeout') {
      const r = yield { kind: 'sleep', ms: 15_000 };
      if (r?.interrupted) return 130;
      ctx.stdout.write(';; connection timed out; no servers could be reached\n\n');
      return 1;
    }
    const aaaa = queryServer(stack, ns, server, name, 'AAAA');
    ctx.stdout.write(`Server:\t\t${serverText}\nAddress:\t${serverText}:53\n\n`);
    let status = 0;
    // busybox prints each answer as it arrives; the A answer is taken to arrive first.
    for (const r of [a, aaaa]) {
      if (r.kind !== 'answer') continue;
      if (r.answer.rcode !== 'NOERROR') {
        ctx.stdout.write(`** server can't find ${name}: ${r.answer.rcode}\n\n`);
        status = 1;
        continue;
      }
      if (!r.answer.authoritative) ctx.stdout.write('Non-authoritative answer:\n');
      for (const rec of r.answer.records) ctx.stdout.write(`Name:\t${name}\nAddress: ${rec}\n`);
      ctx.stdout.write('\n');
    }
    return status;
  })();
}

/** getent hosts NAME: glibc's NSS "files dns" order; prints `%-15s %s` lines; exit 2 when unknown. */
function getent(ctx: CommandContext): number {
  const [db, ...keys] = ctx.argv.slice(1);
  if (!db) {
    ctx.stderr.write("getent: wrong number of arguments\nTry `getent --help' or `getent --usage' for more information.\n");
    return 1;
  }
  if (db !== 'hosts' && db !== 'ahosts' && db !== 'passwd' && db !== 'group') {
    ctx.stderr.write(`Unknown database: ${db}\nTry \`getent --help' or \`getent --usage' for more information.\n`);
    return 1;
  }
  const read = readFileOf(ctx);
  if (db === 'passwd' || db === 'group') {
    const lines = (read(`/etc/${db}`) ?? '').split('\n').filter(Boolean);
    const sel = keys.length ? lines.filter((l) => keys.includes(l.split(':')[0])) : lines;
    for (const l of sel) ctx.stdout.write(l + '\n');
    return keys.length && sel.length < keys.length ? 2 : 0;
  }
  if (!keys.length) {
    ctx.stdout.write(read('/etc/hosts') ?? '');
    return 0;
  }
  let status = 0;
  for (const k of keys) {
    const fromHosts = hostsLookup(read('/etc/hosts') ?? '', k).filter((h) => parseIp4(h.ip) !== null || db === 'hosts');
    if (fromHosts.length) {
      // glibc stops at the first matching line for `getent hosts`.
      const h = fromHosts.find((x) => parseIp4(x.ip) !== null) ?? fromHosts[0];
      const line = (read('/etc/hosts') ?? '')
        .split('\n')
        .find((l) => l.trim().split(/\s+/)[0] === h.ip && l.trim().split(/\s+/).includes(k))!;
      const names = line.replace(/#.*$/, '').trim().split(/\s+/).slice(1);
      ctx.stdout.write(`${h.ip.padEnd(15)} ${names.join(' ')}\n`);
      continue;
    }
    const r = resolve(ctx, k);
    if (!r.addrs.length) {
      status = 2;
      continue;
    }
    for (const ip of r.addrs) ctx.stdout.write(`${formatIp4(ip).padEnd(15)} ${r.source === 'literal' ? '' : k}\n`);
  }
  return status;
}

register({ name: 'nc', run: nc, paths: { gnu: '/bin/nc', busybox: '/usr/bin/nc' } });
register({ name: 'nslookup', run: nslookup, paths: { gnu: '/usr/bin/nslookup', busybox: '/usr/bin/nslookup' } });
register({ name: 'getent', run: getent, paths: { gnu: '/usr/bin/getent', busybox: '/usr/bin/getent' } });
