/** pflag parsing and cobra's texts as docker/cli v20.10 prints them (cli/cobra.go, cli/required.go). */
import { describe, expect, it } from 'vitest';
import { parseFlags, checkArgs, flagErrorText, FlagError, usageString, type CommandDef } from '../../src/sim/docker/format/flags.ts';
import { RUN_FLAGS } from '../../src/sim/shell/commands/docker/containeropts.ts';

const RUN: CommandDef = {
  path: 'docker run',
  use: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Run a command in a new container',
  flags: RUN_FLAGS,
  interspersed: false,
  args: { min: 1 },
};

const fail = (argv: string[]): string => {
  try {
    parseFlags(RUN, argv);
    return 'ok';
  } catch (e) {
    return flagErrorText(RUN, e as FlagError);
  }
};

describe('pflag parsing', () => {
  it('long, short, combined shorthands, = forms and attached values', () => {
    const p = parseFlags(RUN, [
      '-itd',
      '--name=web',
      '-p8080:80',
      '-p',
      '53:53/udp',
      '--network',
      'my-net',
      '-e',
      'A=1',
      'busybox',
      'sh',
      '-c',
      'echo -n hi',
    ]);
    expect(p.bool('interactive') && p.bool('tty') && p.bool('detach')).toBe(true);
    expect(p.str('name')).toBe('web');
    expect(p.list('publish')).toEqual(['8080:80', '53:53/udp']);
    expect(p.list('network')).toEqual(['my-net']);
    expect(p.args).toEqual(['busybox', 'sh', '-c', 'echo -n hi']);
  });
  it('stops at the image (SetInterspersed(false)) and at --', () => {
    expect(parseFlags(RUN, ['busybox', '-d']).args).toEqual(['busybox', '-d']);
    expect(parseFlags(RUN, ['--', '-d']).args).toEqual(['-d']);
  });
  it("docker's flag error texts", () => {
    expect(fail(['--foo', 'busybox'])).toBe("unknown flag: --foo\nSee 'docker run --help'.");
    expect(fail(['-x', 'busybox'])).toBe("unknown shorthand flag: 'x' in -x\nSee 'docker run --help'.");
    expect(fail(['-dx', 'busybox'])).toBe("unknown shorthand flag: 'x' in -x\nSee 'docker run --help'.");
    expect(fail(['-p'])).toBe("flag needs an argument: 'p' in -p\nSee 'docker run --help'.");
    expect(fail(['--name'])).toBe("flag needs an argument: --name\nSee 'docker run --help'.");
    expect(fail(['--detach=maybe', 'x'])).toBe(
      'invalid argument "maybe" for "-d, --detach" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee \'docker run --help\'.',
    );
    expect(fail(['--add-host', 'test', 'busybox'])).toBe(
      'invalid argument "test" for "--add-host" flag: bad format for add-host: "test"\nSee \'docker run --help\'.',
    );
    expect(fail(['--add-host', 'test:notanip', 'busybox'])).toBe(
      'invalid argument "test:notanip" for "--add-host" flag: invalid IP address in add-host: "notanip"\nSee \'docker run --help\'.',
    );
    expect(fail(['--dns', 'notanip', 'busybox'])).toBe(
      'invalid argument "notanip" for "--dns" flag: notanip is not an ip address\nSee \'docker run --help\'.',
    );
    expect(fail(['--stop-timeout', 'x', 'busybox'])).toBe(
      'invalid argument "x" for "--stop-timeout" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee \'docker run --help\'.',
    );
  });
  it('argument count checks of cli/required.go', () => {
    expect(checkArgs(RUN, [])).toBe(
      '"docker run" requires at least 1 argument.\nSee \'docker run --help\'.\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun a command in a new container',
    );
    const port: CommandDef = {
      path: 'docker port',
      use: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
      short: 'List port mappings or a specific mapping for the container',
      flags: [],
      args: { min: 1, max: 2 },
    };
    expect(checkArgs(port, ['a', 'b', 'c'])?.split('\n')[0]).toBe('"docker port" requires at least 1 and at most 2 arguments.');
    const ls: CommandDef = { path: 'docker network ls', use: '[OPTIONS]', short: 'List networks', flags: [], args: { none: true } };
    expect(checkArgs(ls, ['x'])?.split('\n')[0]).toBe('"docker network ls" accepts no arguments.');
    const logs: CommandDef = {
      path: 'docker logs',
      use: '[OPTIONS] CONTAINER',
      short: 'Fetch the logs of a container',
      flags: [],
      args: { exact: 1 },
    };
    expect(checkArgs(logs, [])?.split('\n')[0]).toBe('"docker logs" requires exactly 1 argument.');
  });
  it('usage lists visible flags sorted, with pflag spacing and defaults', () => {
    const u = usageString(RUN);
    expect(u.startsWith('Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun a command in a new container\n\nOptions:\n')).toBe(
      true,
    );
    // pflag wraps the usage column to docker's 80-column default
    expect(u).toContain(
      '\n  -d, --detach                         Run container in background and\n                                       print container ID\n',
    );
    expect(u).toContain(
      '      --restart string                 Restart policy to apply when a\n                                       container exits (default "no")\n',
    );
    expect(u).not.toContain('--net ');
  });
});
