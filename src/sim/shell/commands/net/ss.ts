/**
 * `ss` (iproute2 misc/ss.c, v6.1): TCP and UDP sockets of the namespace with the column
 * layout ss computes from the content when stdout is not a terminal (render_calc_width in
 * compact mode: every column as wide as its widest cell, Local/Peer Address right-aligned,
 * the other columns left-aligned and padded). Options: -t -u -l -a -n -p -4 -6 -H and their
 * combinations; unknown options answer as ss does.
 */
import type { CommandContext } from '../../interp.ts';
import { register } from '../registry.ts';
import { err } from './common.ts';
import { hostName, serviceName, socketsOf, type SockView } from './socklist.ts';

interface Column {
  header: string;
  ldelim: string;
  align: 'left' | 'right';
  disabled: boolean;
}

const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -i, --info          show internal TCP information
   -s, --summary       show socket usage summary
   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -t, --tcp           display only TCP sockets
   -u, --udp           display only UDP sockets
   -H, --no-header     Suppress header line
`;

const LONG: Record<string, string> = {
  '--numeric': 'n',
  '--all': 'a',
  '--listening': 'l',
  '--processes': 'p',
  '--tcp': 't',
  '--udp': 'u',
  '--unix': 'x',
  '--raw': 'w',
  '--ipv4': '4',
  '--ipv6': '6',
  '--no-header': 'H',
  '--resolve': 'r',
  '--help': 'h',
  '--version': 'V',
};

function ssMain(ctx: CommandContext): number {
  const opts = new Set<string>();
  for (const a of ctx.argv.slice(1)) {
    if (a.startsWith('--')) {
      const o = LONG[a];
      if (!o) {
        err(ctx, `ss: unrecognized option '${a}'`);
        ctx.stderr.write(USAGE);
        return 255;
      }
      opts.add(o);
    } else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (!'nalptuxw46HrhV'.includes(c)) {
          err(ctx, `ss: invalid option -- '${c}'`);
          ctx.stderr.write(USAGE);
          return 255;
        }
        opts.add(c);
      }
    } else {
      // Filters (state ..., sport = :80, dst ...) are not modelled.
      err(ctx, `ss: bad filter expression: ${a}`);
      return 255;
    }
  }
  if (opts.has('h')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (opts.has('V')) {
    ctx.stdout.write('ss utility, iproute2-6.1.0\n');
    return 0;
  }
  const numeric = opts.has('n');
  // -t -u -x -w pick socket tables; none picks all of them. The model has no UNIX or raw sockets.
  const picked = ['t', 'u', 'x', 'w'].filter((c) => opts.has(c));
  const wantTcp = !picked.length || opts.has('t');
  const wantUdp = !picked.length || opts.has('u');
  const listening = opts.has('l');
  const all = opts.has('a');
  const fam4 = opts.has('4') || !opts.has('6');
  const fam6 = opts.has('6') || !opts.has('4');

  const cols: Column[] = [
    { header: 'Netid', ldelim: '', align: 'left', disabled: false },
    { header: 'State', ldelim: ' ', align: 'left', disabled: false },
    { header: 'Recv-Q', ldelim: ' ', align: 'left', disabled: false },
    { header: 'Send-Q', ldelim: ' ', align: 'left', disabled: false },
    { header: 'Local Address:', ldelim: ' ', align: 'right', disabled: false },
    { header: 'Port', ldelim: '', align: 'left', disabled: false },
    { header: 'Peer Address:', ldelim: ' ', align: 'right', disabled: false },
    { header: 'Port', ldelim: '', align: 'left', disabled: false },
    { header: 'Process', ldelim: '', align: 'left', disabled: !opts.has('p') },
    { header: '', ldelim: '', align: 'left', disabled: false },
  ];
  // Without -t/-u ss dumps every socket family; the model has TCP and UDP sockets only.
  const dbs = picked.length ? picked.length : 4;
  if (dbs <= 1) cols[0].disabled = true;
  // -l selects LISTEN and CLOSE (UNCONN), -a every state, none the connected states: State
  // disappears only when a single state is selected, which these options never do.

  const rows: string[][] = [];
  if (!opts.has('H'))
    rows.push(
      cols
        .slice(0, 9)
        .map((c) => c.header)
        .concat(''),
    );
  const emit = (proto: 'tcp' | 'udp', v: SockView): void => {
    const s = v.sock;
    const listen = s.state === 'LISTEN' || s.state === 'UNCONN';
    if (!all && listening !== listen) return;
    if ((v.family === 4 && !fam4) || (v.family === 6 && !fam6)) return;
    // An IPv6 wildcard without IPV6_V6ONLY prints as `*` (it takes IPv4 too).
    const addrText = (a: string): string => {
      if (v.family === 6 && a === '::' && !s.v6only) return '*';
      if (v.family === 6) return `[${a}]`;
      return a;
    };
    const port = (p: number): string => (p === 0 ? '*' : numeric ? String(p) : (serviceName(ctx, p, proto) ?? String(p)));
    const local = opts.has('r') ? (hostName(ctx, v.addr) ?? addrText(v.addr)) : addrText(v.addr);
    const peer = addrText(v.family === 4 ? '0.0.0.0' : '::');
    const recvQ = 0;
    const sendQ = s.state === 'LISTEN' ? s.backlog : 0;
    const state = s.state;
    const users = v.owner ? ` users:(("${v.owner.name}",pid=${v.owner.pid},fd=${v.owner.fd}))` : '';
    rows.push([proto, state, String(recvQ).padEnd(6), String(sendQ).padEnd(6), `${local}:`, port(s.port), `${peer}:`, '*', users, '']);
  };
  // ss dumps UDP before TCP (main(): udp_show, then tcp_show).
  if (wantUdp) for (const v of socketsOf(ctx, 'udp')) emit('udp', v);
  if (wantTcp) for (const v of socketsOf(ctx, 'tcp')) emit('tcp', v);

  // render_screen_width(): the terminal's width (TIOCGWINSZ), else $COLUMNS, else unknown.
  const envCols = Number(ctx.env.get('COLUMNS'));
  const screen = envCols > 0 ? envCols : ctx.stdout.isTty ? 80 : null;
  ctx.stdout.write(render(cols, rows, screen));
  return 0;
}

/**
 * render() and render_calc_width(): columns as wide as their widest cell; on a terminal the
 * spare screen width is spread over the columns of each screen line (compact output, with no
 * padding after the last column, when the width is unknown: stdout not a terminal and no
 * COLUMNS).
 */
function render(cols: Column[], rows: string[][], screen: number | null): string {
  const width = cols.map(() => 0);
  const compact = screen === null;
  const scr = screen ?? Number.MAX_SAFE_INTEGER;
  let first = true;
  cols.forEach((c, i) => {
    if (c.disabled) return;
    const max = Math.max(0, ...rows.map((r) => r[i].length));
    width[i] = Math.min(!first && max ? max + c.ldelim.length : max, scr);
    if (width[i]) first = false;
  });
  if (!compact) {
    let len = 0;
    let linecols = 0;
    let eol = -1;
    for (let c = 0; c < cols.length; c++) {
      if (!width[c]) continue;
      linecols++;
      len += width[c];
      const last = !width.slice(c + 1).some((w) => w > 0);
      if (!last && len < scr) continue;
      if (len !== scr) {
        if (len > scr) {
          len -= width[c];
          c--;
          linecols--;
        }
        const pad = scr - len;
        const spacing = Math.floor(pad / linecols);
        let rem = pad % linecols;
        for (let t = c; t > eol; t--) {
          if (!width[t]) continue;
          width[t] += spacing;
          if (rem) {
            width[t]++;
            rem--;
          }
        }
      }
      eol = c;
      len = 0;
      linecols = 0;
    }
  }
  let out = '';
  for (const r of rows) {
    let started = false;
    let line = '';
    cols.forEach((c, i) => {
      if (c.disabled) return;
      const w = width[i];
      const tok = r[i];
      let printed = 0;
      if (started) {
        line += c.ldelim;
        printed = c.ldelim.length;
      }
      started = true;
      if (w && c.align === 'right') {
        const sp = w - tok.length - printed;
        if (sp > 0) {
          line += ' '.repeat(sp);
          printed += sp;
        }
      }
      line += tok;
      printed += tok.length;
      if (w && c.align === 'left') {
        const sp = w - printed;
        if (sp > 0) line += ' '.repeat(sp);
      }
    });
    out += line + '\n';
  }
  return out;
}

register({ name: 'ss', run: ssMain, paths: { gnu: '/usr/bin/ss' } });
