/**
 * iptables-restore: per-table atomic commit, --noflush, counters, and the real error texts;
 * iptables-save options.
 */
import { describe, expect, it } from 'vitest';
import { GOLDEN } from './golden-fixtures.ts';
import { applySave, ipt, newNetfilter, pkt } from './helpers.ts';
import type { Netfilter } from '../../src/sim/net/netfilter/netfilter.ts';

const restore = (nf: Netfilter, text: string, args: string[] = []): { status: number; stdout: string; stderr: string } =>
  nf.restore(args, (file) => (file === null ? text : { error: 'No such file or directory' }));

const RTRY = "Try `iptables-restore -h' or 'iptables-restore --help' for more information.\n";

describe('iptables-restore', () => {
  it('the seed article: save, edit DROP into ACCEPT, restore (04-isolation)', () => {
    const nf = newNetfilter();
    applySave(nf, GOLDEN['04-save']!.out);
    for (let i = 0; i < 5; i++) nf.traverse('filter', 'INPUT', pkt());
    const saved = nf.save([]).stdout;
    expect(saved).toContain(':INPUT ACCEPT [5:300]\n');
    const edited = saved.replace(/^(-A DOCKER-ISOLATION-STAGE-2 -o .* )-j DROP$/gm, '$1-j ACCEPT');
    expect(restore(nf, edited)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(ipt(nf, '-S DOCKER-ISOLATION-STAGE-2').stdout).toBe(
      '-N DOCKER-ISOLATION-STAGE-2\n' +
        '-A DOCKER-ISOLATION-STAGE-2 -o br-190d2ffd53fe -j ACCEPT\n' +
        '-A DOCKER-ISOLATION-STAGE-2 -o br-38a2a20e9a44 -j ACCEPT\n' +
        '-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j ACCEPT\n' +
        '-A DOCKER-ISOLATION-STAGE-2 -j RETURN\n',
    );
    // Without -c the policies' counters start again from the file's... zero.
    expect(nf.save([]).stdout).toContain(':INPUT ACCEPT [0:0]\n');
    // Restoring the original brings the DROP rules back.
    expect(restore(nf, saved).status).toBe(0);
    expect(nf.save([]).stdout.replace(/\[\d+:\d+\]/g, '')).toBe(saved.replace(/\[\d+:\d+\]/g, ''));
  });

  it('-c restores counters', () => {
    const nf = newNetfilter();
    expect(
      restore(
        nf,
        '*filter\n:INPUT DROP [7:700]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [1:2]\n[3:180] -A INPUT -p tcp -j ACCEPT\nCOMMIT\n',
        ['-c'],
      ).status,
    ).toBe(0);
    expect(nf.save(['-c']).stdout).toContain(
      ':INPUT DROP [7:700]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [1:2]\n[3:180] -A INPUT -p tcp -j ACCEPT\n',
    );
  });

  it('a bad line changes nothing in its table, and says which line', () => {
    const nf = newNetfilter();
    applySave(nf, GOLDEN['04-save-default']!.out);
    const before = nf.save([]).stdout;
    const bad = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j FOO\nCOMMIT\n';
    expect(restore(nf, bad)).toEqual({
      status: 2,
      stdout: '',
      stderr: `iptables-restore v1.8.9 (legacy): Couldn't load target \`FOO':No such file or directory\n\nError occurred at line: 5\n${RTRY}`,
    });
    expect(nf.save([]).stdout).toBe(before);
    const bad2 = '*filter\n:INPUT ACCEPT [0:0]\n-A NOPE -j ACCEPT\nCOMMIT\n';
    expect(restore(nf, bad2)).toEqual({ status: 1, stdout: '', stderr: 'iptables-restore: line 3 failed\n' });
    expect(nf.save([]).stdout).toBe(before);
    expect(restore(nf, '*filter\n-A INPUT -j ACCEPT\n')).toEqual({
      status: 1,
      stdout: '',
      stderr: 'iptables-restore: COMMIT expected at line 3\n',
    });
    expect(restore(nf, 'garbage\n')).toEqual({ status: 1, stdout: '', stderr: 'iptables-restore: line 1 failed\n' });
    expect(restore(nf, '*filter\nfoo bar\nCOMMIT\n').stderr).toBe(`Bad argument \`foo'\nError occurred at line: 2\n${RTRY}`);
    expect(restore(nf, '*bogus\nCOMMIT\n').stderr).toBe(
      `iptables-restore v1.8.9 (legacy): iptables-restore: unable to initialize table 'bogus'\nError occurred at line: 1\n${RTRY}`,
    );
    expect(restore(nf, '*filter\n:DOCKER ACCEPT [0:0]\nCOMMIT\n')).toEqual({
      status: 1,
      stdout: '',
      stderr: "iptables-restore v1.8.9 (legacy): Can't set policy `ACCEPT' on `DOCKER' line 2: Bad built-in chain name\n",
    });
    expect(nf.save([]).stdout).toBe(before);
  });

  it('tables committed before the failing one stay committed', () => {
    const nf = newNetfilter();
    const text = '*nat\n:PREROUTING ACCEPT [0:0]\n:X - [0:0]\nCOMMIT\n*filter\n-A NOPE -j DROP\nCOMMIT\n';
    expect(restore(nf, text).stderr).toBe('iptables-restore: line 6 failed\n');
    expect(ipt(nf, '-t nat -S X').stdout).toBe('-N X\n');
  });

  it('--noflush adds to the existing rules; -T restores one table only; -t only tests', () => {
    const nf = newNetfilter();
    ipt(nf, '-A INPUT -s 1.1.1.1 -j DROP');
    expect(restore(nf, '*filter\n-A INPUT -s 2.2.2.2 -j DROP\nCOMMIT\n', ['--noflush']).status).toBe(0);
    expect(ipt(nf, '-S INPUT').stdout).toBe('-P INPUT ACCEPT\n-A INPUT -s 1.1.1.1/32 -j DROP\n-A INPUT -s 2.2.2.2/32 -j DROP\n');
    expect(restore(nf, '*nat\n:Y - [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', ['-T', 'nat']).status).toBe(0);
    expect(ipt(nf, '-S INPUT').stdout.split('\n').length).toBe(4);
    expect(ipt(nf, '-t nat -S Y').stdout).toBe('-N Y\n');
    expect(restore(nf, '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', ['-t']).status).toBe(0);
    expect(ipt(nf, '-S INPUT').stdout.split('\n').length).toBe(4);
  });

  it('quoted arguments, comments and blank lines', () => {
    const nf = newNetfilter();
    const text = '# a comment\n\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "say \\"hi\\"" -j ACCEPT\nCOMMIT\n';
    expect(restore(nf, text).status).toBe(0);
    expect(ipt(nf, '-S INPUT').stdout).toBe('-P INPUT ACCEPT\n-A INPUT -m comment --comment "say \\"hi\\"" -j ACCEPT\n');
  });

  it('options and operands', () => {
    const nf = newNetfilter();
    expect(restore(nf, '', ['-V'])).toEqual({ status: 0, stdout: 'iptables-restore v1.8.9 (legacy)\n', stderr: '' });
    expect(restore(nf, '', ['--bogus'])).toEqual({ status: 1, stdout: '', stderr: "Try `iptables-restore -h' for more information.\n" });
    expect(restore(nf, '', ['a', 'b']).stderr).toBe('Unknown arguments found on commandline\n');
    expect(restore(nf, '', ['/nonexistent']).stderr).toBe("Can't open /nonexistent: No such file or directory\n");
  });
});

describe('iptables-save', () => {
  it('options: -t, -c, -V, bad options and tables', () => {
    const nf = newNetfilter();
    expect(nf.save([])).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(nf.save(['-t', 'raw']).stdout).toBe(
      '# Generated by iptables-save v1.8.9 on Mon Nov 23 10:32:08 2026\n*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n# Completed on Mon Nov 23 10:32:08 2026\n',
    );
    // Naming a table instantiates it.
    expect(nf.loadedTables()).toEqual(['raw']);
    expect(nf.save(['-V']).stdout).toBe('iptables-save v1.8.9 (legacy)\n');
    expect(nf.save(['-x'])).toEqual({ status: 1, stdout: '', stderr: "Look at manual page `iptables-save.8' for more information.\n" });
    expect(nf.save(['-t', 'bogus'])).toEqual({
      status: 1,
      stdout: '',
      stderr: 'iptables-save v1.8.9 (legacy): Cannot initialize: Table does not exist (do you need to insmod?)\n',
    });
    expect(nf.save(['foo']).stderr).toBe('Unknown arguments found on commandline\n');
  });
});
