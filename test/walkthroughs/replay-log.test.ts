import { it, expect } from 'vitest';
import { createLab } from '../../src/sim/index.ts';

it('a log with lines typed into a nested shell replays them inside the container, not on the host', () => {
  const live = createLab({ seed: 5 });
  const s = live.openSession();
  s.submit('docker run -dit --name c1 busybox');
  s.submit('docker exec -it c1 sh');
  s.submit('touch /tmp/made-inside');
  s.submit('X=42; echo $X > /tmp/x');
  s.submit('exit');
  s.submit('ls /tmp');
  expect(live.log.map((e) => [e.command, !!e.input])).toEqual([
    ['docker run -dit --name c1 busybox', false],
    ['docker exec -it c1 sh', false],
    ['touch /tmp/made-inside', true],
    ['X=42; echo $X > /tmp/x', true],
    ['exit', true],
    ['ls /tmp', false],
  ]);
  const again = createLab({ seed: 5 });
  const out = again.replayLog(live.log);
  expect(out).toHaveLength(6);
  expect(again.exec('docker exec c1 cat /tmp/x').output).toBe('42\n');
  expect(again.exec('docker exec c1 ls /tmp').output).toContain('made-inside');
  expect(again.exec('ls /tmp').output).not.toContain('made-inside');
});
