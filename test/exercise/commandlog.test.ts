import { describe, expect, it } from 'vitest';
import { dockerFlags, imagesRun, parseDockerArgs, simpleCommands } from '../../src/sim/snapshot/commandlog.ts';

describe('command log analysis', () => {
  it('splits lines into simple commands through lists, pipes, loops and substitutions', () => {
    expect(simpleCommands('a x && b | c; for i in 1 2; do d $i; done')).toEqual([['a', 'x'], ['b'], ['c'], ['d', '$i']]);
    expect(simpleCommands('echo $(docker network create n)')).toEqual([
      ['echo', '$(docker network create n)'],
      ['docker', 'network', 'create', 'n'],
    ]);
    expect(simpleCommands('docker run "--na"me x \'y z\'')).toEqual([['docker', 'run', '--name', 'x', 'y z']]);
    expect(simpleCommands('echo "unclosed')).toEqual([['echo', '"unclosed']]);
  });

  it('reads docker flags as docker/cli does', () => {
    expect(parseDockerArgs(['run', '-dp', '80:80', '--name=web', '-e', 'A=-P', 'nginx', 'sh', '-c', 'x'])).toEqual({
      sub: ['run'],
      flags: ['-d', '-p', '--name', '-e'],
      positionals: ['nginx', 'sh', '-c', 'x'],
    });
    expect(dockerFlags(['run', '-itd', '--rm', '--link', 'db:database', 'centos:7'])).toEqual(['-i', '-t', '-d', '--rm', '--link']);
    expect(parseDockerArgs(['run', '-d', '-h', 'ns1', '-v', '/a:/b', 'busybox']).positionals).toEqual(['busybox']);
    expect(parseDockerArgs(['ps', '-aq']).flags).toEqual(['-a', '-q']);
    expect(parseDockerArgs(['network', 'create', 'app', '--internal', '--subnet', '10.0.0.0/24'])).toEqual({
      sub: ['network', 'create'],
      flags: ['--internal', '--subnet'],
      positionals: ['app'],
    });
  });

  it('finds the images a solution runs', () => {
    expect(
      imagesRun([
        'docker network create front',
        'docker run -d --name db --network back redis',
        'docker container create -it centos:7 bash',
        'docker network connect back web',
      ]),
    ).toEqual(['redis', 'centos:7']);
  });
});
