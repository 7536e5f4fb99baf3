/**
 * The formatting libraries against the Go/docker sources' behaviour: encoding/json and
 * json.Indent, text/tabwriter with docker's settings, go-units, go-connections nat, the names
 * generator, distribution/reference. Expected strings are copied from golden transcripts where
 * they show them, otherwise from what the Go code prints.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { marshal, indent, marshalIndent, quote } from '../../src/sim/docker/format/gojson.ts';
import { tabwrite } from '../../src/sim/docker/format/tabwriter.ts';
import {
  humanDuration,
  humanSize,
  humanSizeWithPrecision,
  bytesSize,
  formatG,
  containerStatus,
} from '../../src/sim/docker/format/units.ts';
import {
  parsePortSpec,
  parsePortSpecs,
  displayablePorts,
  apiPorts,
  portLines,
  parseExpose,
  PortSpecError,
} from '../../src/sim/docker/format/ports.ts';
import { LEFT, RIGHT, randomName, generateNewName } from '../../src/sim/docker/format/names.ts';
import { parseNormalizedNamed, familiarString, withDefaultTag, fullString } from '../../src/sim/docker/format/reference.ts';

describe('gojson', () => {
  it('escapes HTML characters and U+2028 like json.Marshal, not with SetEscapeHTML(false)', () => {
    expect(marshal('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(marshal('<&>', { escapeHTML: false })).toBe('"<&>"');
    expect(quote('\u2028\n\t\x01\x08')).toBe('"\\u2028\\n\\t\\u0001\\u0008"');
  });
  it('keeps object order, sorts Go maps, prints nil as null', () => {
    expect(
      marshal({
        b: 1,
        a: [null, true, 'x'],
        m: new Map([
          ['z', 1],
          ['a', 2],
        ]),
      }),
    ).toBe('{"b":1,"a":[null,true,"x"],"m":{"a":2,"z":1}}');
    expect(marshal({ e: [], o: {}, n: null })).toBe('{"e":[],"o":{},"n":null}');
    expect(marshal(1e21)).toBe('1e+21');
    expect(marshal(0.000001)).toBe('0.000001');
    expect(marshal(1e-7)).toBe('1e-7');
  });
  it('json.Indent with 4 spaces keeps [] and {} compact (docker inspect)', () => {
    const want = [
      '[',
      '    {',
      '        "Name": "bridge",',
      '        "Config": [],',
      '        "Options": {},',
      '        "IPAM": {',
      '            "Options": null',
      '        }',
      '    }',
      ']',
    ].join('\n');
    expect(indent('[{"Name":"bridge","Config":[],"Options":{},"IPAM":{"Options":null}}]')).toBe(want);
    expect(indent('[]')).toBe('[]');
    expect(indent('{"a":"b,c:{d}"}')).toBe('{\n    "a": "b,c:{d}"\n}');
  });
  it('marshalIndent round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(marshalIndent(v as never))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('tabwriter (docker: minwidth 10, padding 3)', () => {
  it('lays out docker network ls as golden 01 shows it', () => {
    const text =
      'NETWORK ID\tNAME\tDRIVER\tSCOPE\nd8c1d68525e0\tbridge\tbridge\tlocal\n60ca71ed3b76\thost\thost\tlocal\nb72fb8e7708f\tnone\tnull\tlocal\n';
    expect(tabwrite(text)).toBe(
      'NETWORK ID     NAME      DRIVER    SCOPE\nd8c1d68525e0   bridge    bridge    local\n60ca71ed3b76   host      host      local\nb72fb8e7708f   none      null      local\n',
    );
  });
  it('counts runes (the … of COMMAND is one column)', () => {
    const t = tabwrite('CONTAINER ID\tCOMMAND\tNAMES\n7fa3bc1e24dd\t"/bin/sh -c \'while t…"\ttest2\n');
    expect(t).toBe('CONTAINER ID   COMMAND                  NAMES\n7fa3bc1e24dd   "/bin/sh -c \'while t…"   test2\n');
  });
  it('an empty table still pads its header (golden: docker ps -a with no containers)', () => {
    expect(tabwrite('CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n')).toBe(
      'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n',
    );
  });
  it('a line without tabs ends the column blocks', () => {
    expect(tabwrite('a\tb\nlonger line\nx\ty\n')).toBe('a         b\nlonger line\nx         y\n');
  });
});

describe('go-units', () => {
  it('HumanDuration', () => {
    const s = 1000;
    expect(
      [
        0,
        999,
        1 * s,
        59 * s,
        60 * s,
        119 * s,
        120 * s,
        59 * 60 * s,
        60 * 60 * s,
        89 * 60 * s,
        90 * 60 * s,
        47 * 3600 * s,
        48 * 3600 * s,
        14 * 86400 * s,
        60 * 86400 * s,
        730 * 86400 * s,
      ].map(humanDuration),
    ).toEqual([
      'Less than a second',
      'Less than a second',
      '1 second',
      '59 seconds',
      'About a minute',
      'About a minute',
      '2 minutes',
      '59 minutes',
      'About an hour',
      'About an hour',
      '2 hours',
      '47 hours',
      '2 days',
      '2 weeks',
      '2 months',
      '2 years',
    ]);
  });
  it('sizes as docker images and docker info print them', () => {
    expect(humanSizeWithPrecision(1986222, 3)).toBe('1.99MB');
    expect(humanSizeWithPrecision(30712380, 3)).toBe('30.7MB');
    expect(humanSize(2048)).toBe('2.048kB');
    expect(humanSize(0)).toBe('0B');
    expect(bytesSize(25275826176)).toBe('23.54GiB');
    expect(formatG(999.5, 3)).toBe('1e+03');
    expect(formatG(0.0001234, 2)).toBe('0.00012');
  });
  it('State.String()', () => {
    const base = { now: 10_000, running: false, exitCode: 137, startedAt: 1000, finishedAt: 9_500 };
    expect(containerStatus(base)).toBe('Exited (137) Less than a second ago');
    expect(containerStatus({ ...base, running: true })).toBe('Up 9 seconds');
    expect(containerStatus({ ...base, startedAt: null, finishedAt: null })).toBe('Created');
  });
});

describe('nat port specs (go-connections)', () => {
  const e = (s: string): string => {
    try {
      parsePortSpec(s);
      return 'ok';
    } catch (x) {
      return (x as PortSpecError).message;
    }
  };
  it('parses the -p forms', () => {
    expect(parsePortSpec('8080:80')).toEqual([{ port: '80/tcp', binding: { HostIp: '', HostPort: '8080' } }]);
    expect(parsePortSpec('80')).toEqual([{ port: '80/tcp', binding: { HostIp: '', HostPort: '' } }]);
    expect(parsePortSpec('127.0.0.1::80')).toEqual([{ port: '80/tcp', binding: { HostIp: '127.0.0.1', HostPort: '' } }]);
    expect(parsePortSpec('53:53/UDP')).toEqual([{ port: '53/udp', binding: { HostIp: '', HostPort: '53' } }]);
    expect(parsePortSpec('[::1]:8080:80')[0].binding.HostIp).toBe('::1');
    expect(parsePortSpec('9000-9001:9000-9001').map((m) => `${m.binding.HostPort}->${m.port}`)).toEqual([
      '9000->9000/tcp',
      '9001->9001/tcp',
    ]);
    expect(parsePortSpec('8000-8010:80')[0].binding.HostPort).toBe('8000-8010');
    const { exposed, bindings } = parsePortSpecs(['8053:53/tcp', '8053:53/udp', '8054:53/tcp']);
    expect(exposed).toEqual(['53/tcp', '53/udp']);
    expect(bindings.get('53/tcp')?.map((b) => b.HostPort)).toEqual(['8053', '8054']);
  });
  it('rejects bad specs with the texts golden 05 shows', () => {
    expect(e('99999:80')).toBe('Invalid hostPort: 99999');
    expect(e('80:80/sctpx')).toBe('Invalid proto: sctpx');
    expect(e('1.2.3.4.5:80:80')).toBe('Invalid ip address: 1.2.3.4.5');
    expect(e('abc')).toBe('Invalid containerPort: abc');
    expect(e('8000-8001:80-82')).toBe('Invalid ranges specified for container and host Ports: 80-82 and 8000-8001');
    expect(e(':')).toBe('No port specified: :<empty>');
    expect(parseExpose('7000-7002/udp')).toEqual(['7000/udp', '7001/udp', '7002/udp']);
  });
  it('PORTS column groups and orders like DisplayablePorts (golden 05)', () => {
    const b = (ip: string, p: string): { HostIp: string; HostPort: string } => ({ HostIp: ip, HostPort: p });
    expect(displayablePorts(apiPorts({ '80/tcp': [b('0.0.0.0', '8899'), b('::', '8899')] }))).toBe('0.0.0.0:8899->80/tcp, :::8899->80/tcp');
    expect(
      displayablePorts(
        apiPorts({
          '9000/tcp': [b('0.0.0.0', '9000'), b('::', '9000')],
          '9001/tcp': [b('0.0.0.0', '9001'), b('::', '9001')],
          '9002/tcp': [b('0.0.0.0', '9002'), b('::', '9002')],
        }),
      ),
    ).toBe('0.0.0.0:9000-9002->9000-9002/tcp, :::9000-9002->9000-9002/tcp');
    expect(
      displayablePorts(apiPorts({ '53/tcp': [b('0.0.0.0', '8053'), b('::', '8053')], '53/udp': [b('0.0.0.0', '8053'), b('::', '8053')] })),
    ).toBe('0.0.0.0:8053->53/tcp, 0.0.0.0:8053->53/udp, :::8053->53/tcp, :::8053->53/udp');
    expect(displayablePorts(apiPorts({ '3306/tcp': null, '33060/tcp': null }))).toBe('3306/tcp, 33060/tcp');
    expect(displayablePorts([])).toBe('');
  });
  it('docker port lines and its error (golden 05)', () => {
    const ports = {
      '80/tcp': [
        { HostIp: '0.0.0.0', HostPort: '8899' },
        { HostIp: '::', HostPort: '8899' },
      ],
    };
    expect(portLines('web', ports)).toEqual(['80/tcp -> 0.0.0.0:8899', '80/tcp -> :::8899']);
    expect(portLines('web', ports, '80')).toEqual(['0.0.0.0:8899', ':::8899']);
    expect(portLines('web', ports, '80/tcp')).toEqual(['0.0.0.0:8899', ':::8899']);
    expect(() => portLines('web', ports, '81')).toThrow("Error: No public port '81/tcp' published for web");
  });
  it('property: every valid host:container spec round-trips its numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 65535 }),
        fc.integer({ min: 1, max: 65535 }),
        fc.constantFrom('tcp', 'udp', 'sctp'),
        (h, c, p) => {
          const [m] = parsePortSpec(`${h}:${c}/${p}`);
          return m.port === `${c}/${p}` && m.binding.HostPort === String(h);
        },
      ),
    );
  });
});

describe('names generator (moby pkg/namesgenerator)', () => {
  it('has the v20.10 lists', () => {
    expect(LEFT.length).toBe(108);
    expect(RIGHT.length).toBe(236);
    expect(LEFT).toContain('stupefied');
    expect(RIGHT).toContain('ganguly');
  });
  it('never produces boring_wozniak, adds a digit on retries, falls back to the short id', () => {
    const seq = [LEFT.indexOf('boring'), RIGHT.indexOf('wozniak'), 0, 0];
    let i = 0;
    expect(randomName(() => seq[i++])).toBe(`${LEFT[0]}_${RIGHT[0]}`);
    let j = 0;
    expect(randomName(() => [1, 2, 7][j++], 1)).toBe(`${LEFT[1]}_${RIGHT[2]}7`);
    expect(
      generateNewName(
        () => 0,
        () => true,
        'abcdef012345',
      ),
    ).toBe('abcdef012345');
  });
});

describe('image references (distribution/reference)', () => {
  const e = (s: string): string => {
    try {
      return familiarString(withDefaultTag(parseNormalizedNamed(s)));
    } catch (x) {
      return (x as Error).message;
    }
  };
  it('normalises and prints familiar names', () => {
    expect(e('busybox')).toBe('busybox:latest');
    expect(e('centos:7')).toBe('centos:7');
    expect(e('su/flask-redis')).toBe('su/flask-redis:latest');
    expect(e('docker.io/library/nginx:1.25')).toBe('nginx:1.25');
    expect(e('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(fullString(withDefaultTag(parseNormalizedNamed('redis')))).toBe('docker.io/library/redis:latest');
  });
  it('rejects invalid references with the texts docker prints', () => {
    expect(e('Busybox')).toBe('invalid reference format: repository name must be lowercase');
    expect(e('a:b:c')).toBe('invalid reference format');
    expect(e('')).toBe('invalid reference format');
    expect(e('-x')).toBe('invalid reference format');
  });
});
