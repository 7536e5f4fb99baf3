/**
 * The iptables front end: commands, option parsing and the exact error texts and exit codes
 * of iptables 1.8.9 (legacy), from iptables/xshared.c, iptables.c, iptables-standalone.c and
 * libiptc's iptc_strerror().
 */
import { describe, expect, it } from 'vitest';
import { ipt, newNetfilter } from './helpers.ts';

const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";
const V = 'iptables v1.8.9 (legacy): ';

function fails(line: string, status: number, stderr: string, setup: string[] = []): void {
  const nf = newNetfilter();
  for (const s of setup) expect(ipt(nf, s).status, s).toBe(0);
  // A failing command still instantiates its table (iptc_init runs first): load them all.
  ipt(nf, '-S');
  ipt(nf, '-t nat -S');
  const before = nf.save([]).stdout;
  const r = ipt(nf, line);
  expect({ status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ status, stderr, stdout: '' });
  expect(nf.save([]).stdout, 'a failed command changes nothing').toBe(before);
}

describe('errors from libiptc (exit 1)', () => {
  it('unknown chain', () => fails('-A FOO -j ACCEPT', 1, 'iptables: No chain/target/match by that name.\n'));
  it('listing an unknown chain', () => fails('-L FOO', 1, 'iptables: No chain/target/match by that name.\n'));
  it('-S of an unknown chain', () => fails('-S FOO', 1, 'iptables: No chain/target/match by that name.\n'));
  it('deleting a rule that does not exist', () =>
    fails('-D INPUT -j ACCEPT', 1, 'iptables: Bad rule (does a matching rule exist in that chain?).\n'));
  it('-C of a missing rule', () =>
    fails('-C INPUT -s 1.2.3.4 -j DROP', 1, 'iptables: Bad rule (does a matching rule exist in that chain?).\n'));
  it('creating an existing chain', () => fails('-N DOCKER', 1, 'iptables: Chain already exists.\n', ['-N DOCKER']));
  it('deleting a referenced chain', () => fails('-X DOCKER', 1, 'iptables: Too many links.\n', ['-N DOCKER', '-A FORWARD -j DOCKER']));
  it('deleting a chain with rules', () => fails('-X DOCKER', 1, 'iptables: Directory not empty.\n', ['-N DOCKER', '-A DOCKER -j RETURN']));
  it('deleting a built-in chain', () => fails('-X INPUT', 1, "iptables: Can't delete built-in chain. Run `dmesg' for more information.\n"));
  it('policy of a user chain', () => fails('-P DOCKER DROP', 1, 'iptables: Bad built-in chain name.\n', ['-N DOCKER']));
  it('a bad policy', () => fails('-P INPUT REJECT', 1, "iptables: Bad policy name. Run `dmesg' for more information.\n"));
  it('insertion index too big', () => fails('-I INPUT 3 -j ACCEPT', 1, 'iptables: Index of insertion too big.\n'));
  it('deletion index too big', () => fails('-D INPUT 1', 1, 'iptables: Index of deletion too big.\n'));
  it('replacement index too big', () => fails('-R INPUT 1 -j ACCEPT', 1, 'iptables: Index of replacement too big.\n'));
  it('renaming onto an existing chain', () => fails('-E A B', 1, 'iptables: File exists.\n', ['-N A', '-N B']));
  it('a target in the wrong table (the kernel refuses the table)', () =>
    fails('-A INPUT -p tcp -j DNAT --to-destination 1.2.3.4', 1, "iptables: Invalid argument. Run `dmesg' for more information.\n"));
  it('a target in the wrong hook', () =>
    fails(
      '-t nat -A POSTROUTING -p tcp -j DNAT --to-destination 1.2.3.4',
      1,
      "iptables: Invalid argument. Run `dmesg' for more information.\n",
    ));
  it('-m tcp without -p tcp', () =>
    fails('-A INPUT -m tcp --dport 80 -j ACCEPT', 1, "iptables: Invalid argument. Run `dmesg' for more information.\n"));
  it('a jump loop', () =>
    fails('-A INPUT -j A', 1, 'iptables: Too many levels of symbolic links.\n', ['-N A', '-N B', '-A A -j B', '-A B -j A']));
});

describe('parameter problems (exit 2)', () => {
  it('an unknown target', () => fails('-A INPUT -j FOO', 2, `${V}Couldn't load target \`FOO':No such file or directory\n\n${TRY}`));
  it('an unknown match', () => fails('-A INPUT -m foo -j ACCEPT', 2, `${V}Couldn't load match \`foo':No such file or directory\n\n${TRY}`));
  it('an unknown option', () => fails('-A INPUT --foo', 2, `${V}unknown option "--foo"\n${TRY}`));
  it('an extension option before its protocol', () => fails('-A INPUT --dport 80 -j ACCEPT', 2, `${V}unknown option "--dport"\n${TRY}`));
  it('a missing argument', () => fails('-A', 2, `${V}option "-A" requires an argument\n${TRY}`));
  it('a host that does not resolve', () => fails('-A INPUT -s x.y -j ACCEPT', 2, `${V}host/network \`x.y' not found\n${TRY}`));
  it('a bad mask', () => fails('-A INPUT -s 10.0.0.0/33 -j ACCEPT', 2, `${V}invalid mask \`33' specified\n${TRY}`));
  it('two commands (the seed article typo -S for -s)', () =>
    fails('-A FORWARD -S 192.168.100.0/24 -j ACCEPT', 2, `${V}Cannot use -S with -A\n${TRY}`));
  it('no command', () => fails('', 2, `${V}no command specified\n${TRY}`));
  it('a stray argument', () => fails('-A INPUT foo -j ACCEPT', 2, `Bad argument \`foo'\n${TRY}`));
  it('an option the command does not take', () => fails('-L -s 1.2.3.4', 2, `${V}Illegal option \`-s' with this command\n${TRY}`));
  it('-o in INPUT', () => fails('-A INPUT -o eth0 -j ACCEPT', 2, `${V}Can't use -o with INPUT\n\n${TRY}`));
  it('-i in POSTROUTING', () => fails('-t nat -A POSTROUTING -i eth0 -j MASQUERADE', 2, `${V}Can't use -i with POSTROUTING\n\n${TRY}`));
  it('DROP in the nat table', () =>
    fails(
      '-t nat -A PREROUTING -j DROP',
      2,
      `${V}\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\n${TRY}`,
    ));
  it('DNAT without --to-destination', () =>
    fails('-t nat -A PREROUTING -p tcp -j DNAT', 2, `${V}DNAT: option "--to-destination" must be specified\n\n${TRY}`));
  it('a port in DNAT without a protocol', () =>
    fails(
      '-t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4:80',
      2,
      `${V}Need TCP, UDP, SCTP or DCCP with port specification\n${TRY}`,
    ));
  it('an invalid port', () => fails('-A INPUT -p tcp --dport 99999 -j ACCEPT', 2, `${V}invalid port/service \`99999' specified\n${TRY}`));
  it('a bad ctstate', () => fails('-A FORWARD -m conntrack --ctstate FOO -j ACCEPT', 2, `${V}Bad ctstate "FOO"\n${TRY}`));
  it('an addrtype without a type', () =>
    fails('-A INPUT -m addrtype -j ACCEPT', 2, `${V}addrtype: you must specify --src-type or --dst-type\n${TRY}`));
  it('! before -j', () => fails('-A INPUT ! -j ACCEPT', 2, `${V}cannot have ! before -j\n${TRY}`));
  it('a chain named like a target', () => fails('-N DNAT', 2, `${V}chain name may not clash with target name\n${TRY}`));
  it('a goto to a non-chain', () => fails('-A INPUT -g FOO', 2, `${V}goto 'FOO' is not a chain\n${TRY}`));
  it('a table that does not exist (exit 3)', () =>
    fails(
      '-t foo -L',
      3,
      `${V}can't initialize iptables table \`foo': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.\n`,
    ));
});

describe('commands', () => {
  it('-A, -I with a position, -D by number and by spec, -R, -C', () => {
    const nf = newNetfilter();
    expect(ipt(nf, '-A INPUT -s 10.0.0.1 -j ACCEPT').status).toBe(0);
    expect(ipt(nf, '-A INPUT -s 10.0.0.2 -j ACCEPT').status).toBe(0);
    expect(ipt(nf, '-I INPUT -s 10.0.0.0/8 -j DROP').status).toBe(0);
    expect(ipt(nf, '-I INPUT 2 -p udp --dport 53 -j ACCEPT').status).toBe(0);
    expect(ipt(nf, '-S INPUT').stdout).toBe(
      '-P INPUT ACCEPT\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -p udp -m udp --dport 53 -j ACCEPT\n-A INPUT -s 10.0.0.1/32 -j ACCEPT\n-A INPUT -s 10.0.0.2/32 -j ACCEPT\n',
    );
    expect(ipt(nf, '-C INPUT -p udp -m udp --dport 53 -j ACCEPT').status).toBe(0);
    expect(ipt(nf, '-D INPUT -p udp --dport 53 -j ACCEPT').status).toBe(0);
    expect(ipt(nf, '-D INPUT 1').status).toBe(0);
    expect(ipt(nf, '-R INPUT 2 -s 10.0.0.3 -j REJECT --reject-with tcp-reset -p tcp').status).toBe(0);
    expect(ipt(nf, '-S INPUT 2').stdout).toBe('-A INPUT -s 10.0.0.3/32 -p tcp -j REJECT --reject-with tcp-reset\n');
    expect(ipt(nf, '-S INPUT').stdout.split('\n').length).toBe(4);
  });

  it('several source addresses make several rules; -s host names come from the resolver', () => {
    const nf = newNetfilter();
    expect(ipt(nf, '-A INPUT -s 10.0.0.1,10.0.0.2 -d localhost -j ACCEPT').status).toBe(0);
    expect(ipt(nf, '-S INPUT').stdout).toBe(
      '-P INPUT ACCEPT\n-A INPUT -s 10.0.0.1/32 -d 127.0.0.1/32 -j ACCEPT\n-A INPUT -s 10.0.0.2/32 -d 127.0.0.1/32 -j ACCEPT\n',
    );
  });

  it('-N, -E (references follow), -F, -X, -Z', () => {
    const nf = newNetfilter();
    ipt(nf, '-N OLD');
    ipt(nf, '-A OLD -j RETURN');
    ipt(nf, '-A FORWARD -j OLD');
    expect(ipt(nf, '-E OLD NEW').status).toBe(0);
    expect(ipt(nf, '-S').stdout).toBe(
      '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N NEW\n-A FORWARD -j NEW\n-A NEW -j RETURN\n',
    );
    expect(ipt(nf, '-F').status).toBe(0);
    expect(ipt(nf, '-X').status).toBe(0);
    expect(ipt(nf, '-S').stdout).toBe('-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n');
    expect(ipt(nf, '-v -F INPUT').stdout).toBe("Flushing chain `INPUT'\n");
  });

  it('-v while appending prints the rule; -L -v -x and -S -v show counters', () => {
    const nf = newNetfilter();
    expect(ipt(nf, '-v -A INPUT -i eth0 -p tcp --dport 22 -j ACCEPT').stdout).toBe(
      'ACCEPT  tcp opt -- in eth0 out *  0.0.0.0/0  -> 0.0.0.0/0   tcp dpt:22\n',
    );
    ipt(nf, '-A INPUT -c 123456 7654321 -j DROP');
    expect(ipt(nf, '-L INPUT -v -n').stdout).toContain(
      ' 123K 7654K DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0           \n',
    );
    expect(ipt(nf, '-L INPUT -v -n -x').stdout).toContain(
      '  123456  7654321 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0           \n',
    );
    expect(ipt(nf, '-S INPUT -v').stdout).toBe(
      '-P INPUT ACCEPT -c 0 0\n-A INPUT -i eth0 -p tcp -m tcp --dport 22 -c 0 0 -j ACCEPT\n-A INPUT -c 123456 7654321 -j DROP\n',
    );
    expect(ipt(nf, '-Z INPUT').status).toBe(0);
    expect(ipt(nf, '-S INPUT -v').stdout).toContain('-A INPUT -c 0 0 -j DROP\n');
  });

  it('-L without -n names protocols, ports, the loopback network and icmp types', () => {
    const nf = newNetfilter();
    ipt(nf, '-A OUTPUT ! -d 127.0.0.0/8 -p tcp --dport 443 -j ACCEPT');
    ipt(nf, '-A INPUT -p icmp --icmp-type echo-request -j ACCEPT');
    ipt(nf, '-A INPUT -p icmp --icmp-type 3/1 -j DROP');
    expect(ipt(nf, '-L OUTPUT').stdout).toBe(
      'Chain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination         \nACCEPT     tcp  --  anywhere            !loopback/8           tcp dpt:https\n',
    );
    expect(ipt(nf, '-L INPUT').stdout).toContain('ACCEPT     icmp --  anywhere             anywhere             icmp echo-request\n');
    expect(ipt(nf, '-L INPUT -n').stdout).toContain('ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmptype 8\n');
    expect(ipt(nf, '-L INPUT -n').stdout).toContain('DROP       1    --  0.0.0.0/0            0.0.0.0/0            icmptype 3 code 1\n');
    expect(ipt(nf, '-S INPUT').stdout).toContain('-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT\n');
  });

  it('matches and targets save in canonical form', () => {
    const nf = newNetfilter();
    const rules: [string, string][] = [
      ['-A INPUT -m state --state NEW,ESTABLISHED -j ACCEPT', '-A INPUT -m state --state NEW,ESTABLISHED -j ACCEPT'],
      ['-A INPUT -m conntrack ! --ctstate INVALID -j ACCEPT', '-A INPUT -m conntrack ! --ctstate INVALID -j ACCEPT'],
      [
        '-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT',
        '-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT',
      ],
      ['-A INPUT -m comment --comment "allow web" -j ACCEPT', '-A INPUT -m comment --comment "allow web" -j ACCEPT'],
      ['-A INPUT -m comment --comment web -j ACCEPT', '-A INPUT -m comment --comment web -j ACCEPT'],
      [
        '-A INPUT -p tcp ! --sport 1024:65535 --syn -j LOG --log-prefix "IN: "',
        '-A INPUT -p tcp -m tcp ! --sport 1024:65535 --tcp-flags FIN,SYN,RST,ACK SYN -j LOG --log-prefix "IN: "',
      ],
      [
        '-A INPUT -i veth+ ! -s 192.168.0.0/255.255.0.0 -j REJECT',
        '-A INPUT ! -s 192.168.0.0/16 -i veth+ -j REJECT --reject-with icmp-port-unreachable',
      ],
      [
        '-A INPUT -m addrtype ! --src-type LOCAL,BROADCAST --limit-iface-in -j DROP',
        '-A INPUT -m addrtype ! --src-type LOCAL,BROADCAST --limit-iface-in -j DROP',
      ],
      ['-A INPUT -p 47 -j ACCEPT', '-A INPUT -p gre -j ACCEPT'],
      ['-A INPUT ! -p udp -f', '-A INPUT ! -p udp -f'],
      [
        '-t nat -A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 80',
        '-A PREROUTING -p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 80',
      ],
      ['-t nat -A POSTROUTING -o eth0 -j SNAT --to-source 192.168.100.200', '-A POSTROUTING -o eth0 -j SNAT --to-source 192.168.100.200'],
      [
        '-t nat -A POSTROUTING -p udp -j MASQUERADE --to-ports 1024-2048 --random',
        '-A POSTROUTING -p udp -j MASQUERADE --to-ports 1024-2048 --random',
      ],
    ];
    for (const [cmd, saved] of rules) {
      const r = ipt(nf, cmd);
      expect(r.stderr, cmd).toBe('');
      const table = cmd.startsWith('-t nat') ? '-t nat ' : '';
      const chain = cmd.split(' ')[table ? 3 : 1]!;
      expect(ipt(nf, `${table}-S ${chain}`).stdout.trim().split('\n').pop(), cmd).toBe(saved);
    }
  });

  it('-L shows goto, LOG, REDIRECT, MASQUERADE ports and comments as iptables does', () => {
    const nf = newNetfilter();
    ipt(nf, '-N X');
    ipt(nf, '-A INPUT -g X');
    ipt(nf, '-A INPUT -j LOG --log-prefix "x "');
    ipt(nf, '-A INPUT -m comment --comment hello');
    const out = ipt(nf, '-L INPUT -n').stdout;
    expect(out).toContain('X          0    --  0.0.0.0/0            0.0.0.0/0           [goto] \n');
    expect(out).toContain('LOG        0    --  0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 4 prefix "x "\n');
    expect(out).toContain('           0    --  0.0.0.0/0            0.0.0.0/0            /* hello */\n');
    ipt(nf, '-t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 80');
    ipt(nf, '-t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000-2000');
    const nat = ipt(nf, '-t nat -L -n').stdout;
    expect(nat).toContain('REDIRECT   6    --  0.0.0.0/0            0.0.0.0/0            redir ports 80\n');
    expect(nat).toContain('MASQUERADE  6    --  0.0.0.0/0            0.0.0.0/0            masq ports: 1000-2000\n');
  });

  it('options: bundled short options, long options and prefixes, -w, --line-numbers', () => {
    const nf = newNetfilter();
    expect(ipt(nf, '--append INPUT --source 1.2.3.4 --jump ACCEPT').status).toBe(0);
    expect(ipt(nf, '-w 5 --wait -A INPUT --src 1.2.3.5 --jum DROP').status).toBe(0);
    expect(ipt(nf, '-nvL INPUT --line-numbers').stdout.split('\n')[1]).toBe(
      'num   pkts bytes target     prot opt in     out     source               destination         ',
    );
    // `-Lnv`: -L takes "nv" as its optional chain argument, as getopt does.
    expect(ipt(nf, '-Lnv').stderr).toBe('iptables: No chain/target/match by that name.\n');
    expect(ipt(nf, '-V').stdout).toBe('iptables v1.8.9 (legacy)\n');
    expect(ipt(nf, '-h').stdout).toMatch(
      /^iptables v1\.8\.9 \(legacy\)\n\nUsage: iptables -\[ACD\] chain rule-specification \[options\]\n/,
    );
  });

  it('a chain name too long, starting with -, or with blanks', () => {
    const nf = newNetfilter();
    expect(ipt(nf, '-N ABCDEFGHIJKLMNOPQRSTUVWXYZ123').stderr).toBe(
      `${V}chain name \`ABCDEFGHIJKLMNOPQRSTUVWXYZ123' too long (must be under 29 chars)\n${TRY}`,
    );
    expect(nf.run(['-N', 'a b']).stderr).toBe(`${V}Invalid chain name \`a b'\n${TRY}`);
  });
});

describe('details', () => {
  it('LOG levels print with syslog.h names; -i + is not saved', () => {
    const nf = newNetfilter();
    ipt(nf, '-A INPUT -j LOG --log-level error');
    ipt(nf, '-A INPUT -i + -j LOG');
    expect(ipt(nf, '-S INPUT').stdout).toBe('-P INPUT ACCEPT\n-A INPUT -j LOG --log-level 3\n-A INPUT -j LOG\n');
    const out = ipt(nf, '-L INPUT').stdout;
    expect(out).toContain('LOG        all  --  anywhere             anywhere             LOG level err\n');
    expect(out).toContain('LOG        all  --  anywhere             anywhere             LOG level warn\n');
    expect(ipt(nf, '-A INPUT -j LOG --log-level warn').stderr).toBe(`${V}log level "warn" unknown\n\n${TRY}`);
  });
});

describe('udp ports through the guided parser', () => {
  it('ranges, services and errors', () => {
    const nf = newNetfilter();
    expect(ipt(nf, '-A INPUT -p udp --dport domain -j ACCEPT').status).toBe(0);
    expect(ipt(nf, '-A INPUT -p udp --sport :1023 -j ACCEPT').status).toBe(0);
    expect(ipt(nf, '-S INPUT').stdout).toBe(
      '-P INPUT ACCEPT\n-A INPUT -p udp -m udp --dport 53 -j ACCEPT\n-A INPUT -p udp -m udp --sport 0:1023 -j ACCEPT\n',
    );
    expect(ipt(nf, '-A INPUT -p udp --dport 99999 -j ACCEPT').stderr).toBe(`${V}Port "99999" does not resolve to anything.\n\n${TRY}`);
    expect(ipt(nf, '-A INPUT -p udp --dport 1:2:3 -j ACCEPT').stderr).toBe(
      `${V}udp: Too many components for option "--dport" (max: 2)\n\n${TRY}`,
    );
    expect(ipt(nf, '-A INPUT -p udp --dport 1 --dport 2 -j ACCEPT').stderr).toBe(
      `${V}udp: option "--dport" can only be used once.\n\n${TRY}`,
    );
  });
});

describe('exclusive options', () => {
  it('multiport and addrtype', () => {
    const nf = newNetfilter();
    expect(ipt(nf, '-A INPUT -p tcp -m multiport --sports 1 --dports 2 -j ACCEPT').stderr).toBe(
      `${V}multiport: option "--source-ports" cannot be used together with "--destination-ports".\n\n${TRY}`,
    );
    expect(ipt(nf, '-A INPUT -p tcp -m multiport --dports 1 --dports 2 -j ACCEPT').stderr).toBe(
      `${V}multiport: option "--dports" can only be used once.\n\n${TRY}`,
    );
    expect(ipt(nf, '-A INPUT -m addrtype --src-type LOCAL --limit-iface-in --limit-iface-out -j ACCEPT').stderr).toBe(
      `${V}addrtype: option "--limit-iface-in" cannot be used together with "--limit-iface-out".\n\n${TRY}`,
    );
  });
});
