// Lab.background(): a command started as if in a second terminal (a transcript's `#> concurrent`)
// sees what runs meanwhile, as a tcpdump does.
import { it, expect } from 'vitest';
import { createLab } from '../../src/sim/index.ts';

it('a tcpdump started in the background captures the ping that runs meanwhile', () => {
  const lab = createLab({ seed: 2 });
  lab.exec('docker run -d --name web nginx');
  const dump = lab.background('tcpdump -i docker0 -nn icmp -c 2');
  expect(lab.exec('ping -c 1 -W 1 172.17.0.2').exit).toBe(0);
  const r = dump.finish();
  expect(r.exit).toBe(0);
  expect(r.output).toMatch(
    /listening on docker0.*\n\d\d:\d\d:\d\d\.\d{6} IP 172\.17\.0\.1 > 172\.17\.0\.2: ICMP echo request, id \d+, seq 1, length 64\n.* IP 172\.17\.0\.2 > 172\.17\.0\.1: ICMP echo reply, id \d+, seq 1, length 64\n2 packets captured\n/,
  );
});

it('a background command that ends at once, or never waits, still reports its output', () => {
  const lab = createLab({ seed: 2 });
  const quick = lab.background('echo hi; exit 3');
  expect(quick.finish()).toEqual({ output: 'hi\n', exit: 3 });
  expect(lab.background('tcpdump -i nosuch').finish()).toEqual({
    output: 'tcpdump: nosuch: No such device exists\n(No such device exists)\n',
    exit: 1,
  });
});
