import { it, expect } from 'vitest';
import { createLab } from '../../src/sim/index.ts';
import { MAX_CONTAINERS } from '../../src/sim/docker/engine.ts';

it(`stops at ${MAX_CONTAINERS} containers per host with a clear message, and recovers after rm`, () => {
  const lab = createLab({ seed: 1 });
  const engine = lab.machines[0].engine;
  for (let i = 0; i < MAX_CONTAINERS; i++) engine.createContainer({ image: 'busybox', cmd: ['true'] } as never);
  const r = lab.exec('docker run -d busybox true');
  expect(r.exit).toBe(125);
  expect(r.output).toContain(`this lab allows at most ${MAX_CONTAINERS} containers per host`);
  expect(lab.exec('docker rm $(docker ps -aq | head -1)').exit).toBe(0);
  expect(lab.exec('docker run -d busybox true').exit).toBe(0);
}, 60_000);
