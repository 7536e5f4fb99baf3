// The packet trace is labelled with the command whose packet it shows (Lab.lastTrace()).
import { it, expect } from 'vitest';
import { createLab } from '../../src/sim/index.ts';

it('a command that sends nothing, or a line typed into a program, does not take the trace over', () => {
  const lab = createLab({ seed: 3 });
  const s = lab.openSession();
  s.submit('docker run -d --name web nginx');
  s.submit('curl -s -o /dev/null 172.17.0.2');
  expect(lab.lastTrace()?.command).toBe('curl -s -o /dev/null 172.17.0.2');
  s.submit('docker ps');
  expect(lab.lastTrace()?.command).toBe('curl -s -o /dev/null 172.17.0.2');
  lab.exec('ping -c 1 172.17.0.2');
  expect(lab.lastTrace()?.command).toBe('ping -c 1 172.17.0.2');
  s.submit('docker run -it --name box busybox');
  s.submit('wget -q -O - 172.17.0.2 >/dev/null');
  s.submit('hostname');
  expect(lab.lastTrace()?.command).toBe('wget -q -O - 172.17.0.2 >/dev/null');
});
