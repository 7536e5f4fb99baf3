/**
 * iptables, iptables -S/-L and iptables-save output compared with the golden transcripts
 * (Docker 20.10 on Debian, iptables v1.8.9 legacy). Rule sets are built through iptables argv;
 * outputs are compared after the README's normalisation (counters, dates, spacing).
 */
import { describe, expect, it } from 'vitest';
import { GOLDEN } from './golden-fixtures.ts';
import { applySave, ipt, newNetfilter, normalize, runGolden } from './helpers.ts';

const g = (key: string): { cmd: string; out: string } => {
  const v = GOLDEN[key];
  if (!v) throw new Error(`no fixture ${key}`);
  return v;
};

function expectGolden(nf: ReturnType<typeof newNetfilter>, key: string): void {
  const { cmd, out } = g(key);
  expect(normalize(runGolden(nf, cmd)), cmd).toBe(normalize(out));
}

describe('04 — isolation rules of three bridge networks', () => {
  const state = (): ReturnType<typeof newNetfilter> => {
    const nf = newNetfilter();
    applySave(nf, g('04-save').out);
    return nf;
  };

  for (const key of [
    '04-save',
    '04-save-t-nat',
    '04-save-t-filter',
    '04-S-nat',
    '04-S',
    '04-S-FORWARD',
    '04-S-DOCKER',
    '04-S-DOCKER-USER',
    '04-S-STAGE-1',
    '04-S-STAGE-2',
    '04-L-n-v',
    '04-L-n',
    '04-L-FORWARD-lines',
    '04-nat-L-n',
    '04-nat-L-n-v',
  ]) {
    it(`${GOLDEN[key]!.cmd} (${key})`, () => expectGolden(state(), key));
  }

  it('prints the listings byte for byte (column widths, trailing blanks) before normalisation', () => {
    const nf = state();
    // Without traffic every counter is 0; the golden host had counted packets. Compare the
    // lines whose counters are 0 in the golden output exactly.
    const ours = runGolden(nf, 'iptables -L -n -v').split('\n');
    const theirs = g('04-L-n-v').out.split('\n');
    expect(ours.length).toBe(theirs.length);
    theirs.forEach((line, i) => {
      if (/^ +0 +0 /.test(line) || !/^ +\d/.test(line)) {
        if (!line.startsWith('Chain')) expect(ours[i]).toBe(line);
      }
    });
    expect(runGolden(nf, 'iptables -L -n')).toBe(g('04-L-n').out);
    expect(runGolden(nf, 'iptables -t nat -L -n')).toBe(g('04-nat-L-n').out);
  });

  it('default daemon rules and the --internal network rules save identically', () => {
    for (const key of ['04-save-default', '04-save-internal']) {
      const nf = newNetfilter();
      applySave(nf, g(key).out);
      expect(normalize(nf.save([]).stdout)).toBe(normalize(g(key).out));
    }
  });
});

describe('05 — published ports', () => {
  it('DNAT and hairpin MASQUERADE rules: iptables -t nat -L -n and iptables-save', () => {
    const nf = newNetfilter();
    applySave(nf, g('05-save').out);
    expect(runGolden(nf, g('05-nat-L-n').cmd)).toBe(g('05-nat-L-n').out);
    expectGolden(nf, '05-save');
  });

  it('the first container: -t nat -S DOCKER, -t nat -S POSTROUTING, -S DOCKER', () => {
    const nf = newNetfilter();
    applySave(nf, g('04-save-default').out);
    ipt(nf, '-t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8899 -j DNAT --to-destination 172.17.0.2:80');
    ipt(nf, '-t nat -A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE');
    ipt(nf, '-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT');
    for (const k of ['05-nat-S-DOCKER-first', '05-nat-S-POSTROUTING-first', '05-S-DOCKER-first'])
      expect(runGolden(nf, g(k).cmd)).toBe(g(k).out);
  });

  it('rules written without -m tcp (implicit protocol match) save in canonical form', () => {
    const nf = newNetfilter();
    ipt(nf, '-t nat -N DOCKER');
    expect(ipt(nf, '-t nat -A DOCKER ! -i docker0 -p tcp --dport 8899 -j DNAT --to-destination 172.17.0.2:80').status).toBe(0);
    expect(runGolden(nf, 'iptables -t nat -S DOCKER')).toBe(
      '-N DOCKER\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8899 -j DNAT --to-destination 172.17.0.2:80\n',
    );
  });
});

describe('10a — icc=false and links', () => {
  it('iptables -L DOCKER -n -v', () => {
    const nf = newNetfilter();
    applySave(nf, g('10a-S-DOCKER').out);
    ipt(nf, '-A FORWARD -o docker0 -j DOCKER');
    expectGolden(nf, '10a-L-DOCKER-n-v');
  });
});

describe('10f — a fresh namespace with --iptables=false', () => {
  it('no table until a command addresses one; iptables-save lists the newest first', () => {
    const nf = newNetfilter();
    expectGolden(nf, '10f-save-empty');
    expectGolden(nf, '10f-S');
    expectGolden(nf, '10f-nat-S');
    expectGolden(nf, '10f-save-after');
  });

  it('userland-proxy=false rules (addrtype --src-type, DNAT without -i)', () => {
    const nf = newNetfilter();
    applySave(nf, g('10f-save-userland-proxy-false').out);
    expectGolden(nf, '10f-save-userland-proxy-false');
  });
});

describe('11 — multi-host', () => {
  it('11a: iptables -L FORWARD -n -v with a learner rule appended', () => {
    const nf = newNetfilter();
    applySave(nf, g('04-save-default').out);
    expectGolden(nf, '11a-L-FORWARD-n-v');
  });

  it('11b: mangle, nat and filter tables in the order the namespace loaded them', () => {
    const nf = newNetfilter();
    applySave(nf, g('11b-save').out);
    expectGolden(nf, '11b-save');
  });
});
