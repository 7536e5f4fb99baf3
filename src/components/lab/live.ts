/**
 * Everything a lab needs from the simulator, in one module that lab-panel.ts imports dynamically
 * on the first interaction with the lab: the simulator itself and the views drawn from its state.
 * Lab.astro also uses it at build time to print the starting prompts and topology into the page,
 * so a chapter shows its lab before any of this has been fetched.
 */
import { createLab, REPLAY_LONG_RUNNING_MS, type Lab, type LabOptions, type TopologyView } from '../../sim/index.ts';

export { REPLAY_LONG_RUNNING_MS };
export { renderTopology } from './topology.ts';
export { renderTrace, pathKeys } from './trace.ts';
export { renderDetails } from './details.ts';

export interface LabSpec {
  seed: number;
  profile: LabOptions['profile'];
  hosts: number;
  /** dockerd options per host at boot. */
  daemons: string[];
  /** Commands run before the learner's; `node2$ CMD` runs on that host, as transcripts write it. */
  setup: string[];
}

/** Builds the lab a chapter or exercise starts from. */
export function buildLab(spec: LabSpec): Lab {
  const lab = createLab({
    seed: spec.seed,
    profile: spec.profile,
    hosts: spec.hosts,
    daemonArgs: spec.daemons.map((d) => d.split(/\s+/).filter(Boolean)),
  });
  for (const cmd of spec.setup) {
    const m = /^(node\d+)\$ (.*)$/s.exec(cmd);
    if (m) lab.exec(m[2], m[1]);
    else lab.exec(cmd);
  }
  return lab;
}

/** What the page shows before the simulator loads: each host's prompt and the topology. */
export interface StartingView {
  hosts: string[];
  prompts: string[];
  topology: TopologyView;
}

export function startingView(spec: LabSpec): StartingView {
  const lab = buildLab(spec);
  return { hosts: lab.hosts, prompts: lab.hosts.map((h) => lab.openSession(h).prompt()), topology: lab.topology() };
}
