/** The snapshot layer: canonical lab state, exercises as data, and the grader. */
export * from './types.ts';
export * from './exercise.ts';
export { grade, runCheck, effectiveChecks, namesOf, within, parseReachTarget } from './grader.ts';
export type { CheckResult, GradeResult } from './grader.ts';
export { renderTemplate, TemplateError, effectiveEndpoints } from './template.ts';
export { canonicalSnapshot, normaliseLine, mergeTolerance, isEphemeral, EPHEMERAL_MIN, EPHEMERAL_MAX } from './canonical.ts';
export { simpleCommands, dockerFlags, parseDockerArgs, imagesRun, usesFlag, findCommand, findFlag } from './commandlog.ts';
export type { LogEntry } from './commandlog.ts';
export { buildSnapshot, buildHostSnapshot, parseDaemonOptions, formatRoute, kernelSource, linkOf } from './build.ts';
export type { DockerHostSource, DockerNetworkInspect, DockerContainerInspect, DockerEndpointInspect, GoMap } from './build.ts';
export { makeProbe, probeFromNetns, targetAddresses } from './probe.ts';
export type { NetnsLocator } from './probe.ts';
