/**
 * The simulator's public API. The site, the CLI and the grader use only what is exported here.
 */
export { Lab, createLab, REPLAY_LONG_RUNNING_MS } from './lab/lab.ts';
export type { LabOptions, ExecResult } from './lab/lab.ts';
export { Session, promptFor } from './lab/session.ts';
export type { StepResult } from './lab/session.ts';
export type { TopologyView, TopoHost, TopoContainer, TopoBridge, TopoInterface, PacketTrace, TraceEvent, UiRequest } from './lab/views.ts';
export { parseTranscript, formatStep, compareTranscripts, normaliseSteps, makeNormaliser, outputLines } from './lab/transcript.ts';
export type { Transcript, Step, TranscriptItem } from './lab/transcript.ts';
export * from './snapshot/index.ts';
