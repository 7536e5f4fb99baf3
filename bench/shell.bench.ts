import { createLab } from '../src/sim/index.ts';
import type { BenchSuite } from './run.ts';

export const suite: BenchSuite = {
  name: 'shell',
  cases: () => {
    const lab = createLab({ seed: 1 });
    return [{ name: 'parse and run `echo hello`', fn: () => void lab.exec('echo hello'), target: { maxMedianMs: 0.5 } }];
  },
};
