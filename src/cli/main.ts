/**
 * `dnlab`: the simulator on the command line.
 *   dnlab shell  [--seed N] [--profile P]        an interactive prompt on stdin/stdout
 *   dnlab replay FILE [--check] [--seed N] ...   replays a transcript in a fresh lab
 */
import { runShell } from './shell.ts';
import { runReplay } from './replay.ts';
import { runExercise } from './exercise.ts';
import { runAssign, runGrade } from './grade.ts';

export const USAGE = `Usage: dnlab COMMAND [OPTIONS]

A simulated Linux host with a Docker 20.10 engine, for the Docker Networking Lab course.

Commands:
  shell                 Open an interactive prompt on the simulated host
  replay FILE           Run every command of a transcript in a fresh lab and print the
                        transcript again with the simulator's outputs ("-" reads stdin)
  exercise COMMAND      List, show, validate and check exercises (dnlab exercise --help)
  grade SUBMISSION...   Grade submissions by replaying them (dnlab grade --help)
  assign ID...          Create an assignment file and link (dnlab assign --help)

Options:
  --seed N              Seed of the lab's random generator (ids, MACs, names); default 1
  --profile NAME        Lab profile: "course" (default) or "golden" (the machine the
                        golden transcripts were recorded on)
  --check               (replay) compare with the transcript's own outputs after
                        normalising ids and times; print a diff and exit 1 on mismatch
  -h, --help            Show this help
`;

export interface CliOptions {
  seed: number;
  profile: string;
  check: boolean;
  positional: string[];
}

export function parseArgs(args: string[]): CliOptions | string {
  const opts: CliOptions = { seed: 1, profile: 'course', check: false, positional: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | null => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      return args[++i] ?? null;
    };
    if (a === '--seed' || a.startsWith('--seed=')) {
      const v = value();
      if (v === null || !/^[0-9]+$/.test(v)) return `dnlab: --seed needs a non-negative integer`;
      opts.seed = Number(v);
    } else if (a === '--profile' || a.startsWith('--profile=')) {
      const v = value();
      if (!v) return 'dnlab: --profile needs a name';
      opts.profile = v;
    } else if (a === '--check') opts.check = true;
    else if (a.startsWith('-') && a !== '-') return `dnlab: unknown option: ${a}`;
    else opts.positional.push(a);
  }
  return opts;
}

export async function main(argv: string[]): Promise<number> {
  // These subcommands have their own options (and --help).
  if (argv[0] === 'exercise') return runExercise(argv.slice(1));
  if (argv[0] === 'grade') return runGrade(argv.slice(1));
  if (argv[0] === 'assign') return runAssign(argv.slice(1));
  if (!argv.length || argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') {
    process.stdout.write(USAGE);
    return argv.length ? 0 : 2;
  }
  const [command, ...rest] = argv;
  const opts = parseArgs(rest);
  if (typeof opts === 'string') {
    process.stderr.write(opts + '\n');
    return 2;
  }
  switch (command) {
    case 'shell':
      return runShell(opts);
    case 'replay':
      return runReplay(opts);
    default:
      process.stderr.write(`dnlab: unknown command: ${command}\nRun 'dnlab --help' for usage.\n`);
      return 2;
  }
}
