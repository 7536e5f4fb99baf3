import { loadCases, normalise, runCase } from './compare.ts';
let bad = 0;
for (const c of loadCases()) {
  for (const u of ['gnu', 'busybox'] as const) {
    const want = { stdout: normalise(c[u].stdout), stderr: normalise(c[u].stderr), status: c[u].status };
    let got;
    try {
      got = runCase(c, u);
    } catch (e) {
      got = { stdout: '', stderr: 'EXCEPTION ' + (e as Error).stack, status: -1 };
    }
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      bad++;
      console.log(`--- [${u}] ${c.cmd}\n want ${JSON.stringify(want)}\n got  ${JSON.stringify(got)}`);
    }
  }
}
console.log('mismatches:', bad);
