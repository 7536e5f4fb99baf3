/**
 * text/template as docker --format uses it. Expected strings are what Go 1.19's text/template
 * prints for the same template and data (fmt's %v of maps, slices, nil, `<no value>`), and the
 * error texts of text/template/parse and exec.go.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse, goStruct, sprintf, formatValue, TemplateError } from '../../src/sim/docker/format/gotemplate.ts';

const run = (src: string, data: unknown, opts: Parameters<ReturnType<typeof parse>['execute']>[1] = {}): string =>
  parse(src).execute(data, opts);
const err = (src: string, data: unknown = {}, opts: Parameters<ReturnType<typeof parse>['execute']>[1] = {}): string => {
  try {
    parse(src).execute(data, opts);
  } catch (e) {
    if (e instanceof TemplateError) return e.message;
    throw e;
  }
  return '(no error)';
};

const container = {
  Name: '/test1',
  Args: ['-c', 'while true;do sleep 3600;done'],
  State: { Status: 'running', Pid: 270, Running: true },
  NetworkSettings: {
    IPAddress: '172.17.0.2',
    Ports: new Map([['80/tcp', [{ HostIp: '0.0.0.0', HostPort: '8080' }]]]),
    Networks: new Map([
      ['my-net', { IPAddress: '172.25.0.5', Aliases: ['web', 'www'] }],
      ['bridge', { IPAddress: '172.17.0.2', Aliases: null }],
    ]),
  },
  Config: { Env: null, ExposedPorts: new Map([['80/tcp', {}]]), Labels: new Map() },
};

describe('fields, maps, range (the forms tutorials use)', () => {
  it('reads nested fields', () => {
    expect(run('{{.NetworkSettings.IPAddress}}', container)).toBe('172.17.0.2');
  });
  it('ranges over a map in sorted key order', () => {
    expect(run('{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', container)).toBe('172.17.0.2 172.25.0.5 ');
    expect(run('{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}};{{end}}', container)).toBe(
      'bridge=172.17.0.2;my-net=172.25.0.5;',
    );
  });
  it('indexes maps and slices, including parenthesised pipelines', () => {
    expect(run('{{(index (index .NetworkSettings.Ports "80/tcp") 0).HostPort}}', container)).toBe('8080');
    expect(run('{{index .NetworkSettings.Networks "my-net" | printf "%v"}}', container)).toBe(
      'map[Aliases:[web www] IPAddress:172.25.0.5]',
    );
    expect(run('{{(index .NetworkSettings.Networks "bridge").IPAddress}}', container)).toBe('172.17.0.2');
  });
  it("prints Go values as fmt's %v does", () => {
    expect(run('{{.Args}}', container)).toBe('[-c while true;do sleep 3600;done]');
    expect(run('{{.Config.Env}}', container)).toBe('<nil>');
    expect(run('{{.Config.Labels}}', container)).toBe('map[]');
    expect(run('{{.NetworkSettings.Ports}}', container)).toBe('map[80/tcp:[map[HostIp:0.0.0.0 HostPort:8080]]]');
    expect(run('{{.State.Pid}} {{.State.Running}}', container)).toBe('270 true');
  });
  it('a missing map key is <no value> by default and an error with missingkey=error', () => {
    expect(run('{{.Nope}}', container)).toBe('<no value>');
    expect(run('{{.NetworkSettings.Networks.nonet.IPAddress}}', container)).toBe('<no value>');
    expect(err('{{.Nope}}', container, { missingKey: 'error', raw: true })).toBe(
      'template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"',
    );
  });
  it('json uses encoding/json without HTML escaping, keys of maps sorted', () => {
    expect(run('{{json .NetworkSettings.Ports}}', container)).toBe('{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}]}');
    expect(run('{{json .Config.ExposedPorts}}', container)).toBe('{"80/tcp":{}}');
    expect(run('{{json .Config.Env}}', container)).toBe('null');
    expect(run('{{json "<a&b>"}}', {})).toBe('"<a&b>"');
  });
});

describe('control structures', () => {
  it('if / else if / else, with and its else', () => {
    expect(run('{{if eq .State.Status "exited"}}E{{else if eq .State.Status "running"}}R{{else}}?{{end}}', container)).toBe('R');
    expect(run('{{with .Config.Env}}has{{else}}none{{end}}', container)).toBe('none');
    expect(run('{{with .State}}{{.Status}}{{end}}', container)).toBe('running');
  });
  it('range with else, break and continue, variables', () => {
    expect(run('{{range .Config.Env}}x{{else}}empty{{end}}', container)).toBe('empty');
    expect(run('{{range $i, $a := .Args}}{{if $i}},{{end}}{{$a}}{{end}}', container)).toBe('-c,while true;do sleep 3600;done');
    expect(run('{{range .}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}', [1, 2, 3, 4])).toBe('12');
    expect(run('{{range .}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}', [1, 2, 3])).toBe('13');
    expect(run('{{$n := .Name}}{{range .Args}}{{$n}}{{end}}', container)).toBe('/test1/test1');
    expect(run('{{$x := 1}}{{$x = 2}}{{$x}}', {})).toBe('2');
  });
  it('trims spaces around {{- and -}}', () => {
    expect(run('a  {{- .Name -}}  b', container)).toBe('a/test1b');
    expect(run('{{- range .Args }}\n  [{{ . }}]\n{{- end }}', container)).toBe('\n  [-c]\n  [while true;do sleep 3600;done]');
    expect(run('x {{/* a comment */}} y', {})).toBe('x  y');
    expect(run('x {{- /* trimmed */ -}} y', {})).toBe('xy');
  });
  it('and/or return the deciding operand; not, comparisons', () => {
    expect(run('{{and 1 0 2}} {{or 0 "" "x"}} {{not true}}', {})).toBe('0 x false');
    expect(run('{{lt 1 2}} {{gt 1.5 1}} {{le "a" "b"}} {{ge 2 2}} {{ne "a" "a"}} {{eq 1 2 1}}', {})).toBe('true true true true false true');
  });
});

describe("docker's functions (templates/templates.go)", () => {
  it('join, split, lower, upper, title, pad, truncate, len, println', () => {
    expect(run('{{join .Args ","}}', container)).toBe('-c,while true;do sleep 3600;done');
    expect(run('{{split "a:b:c" ":"}}', {})).toBe('[a b c]');
    expect(run('{{lower "ABC"}} {{upper "abc"}} {{title "hello world"}}', {})).toBe('abc ABC Hello World');
    expect(run('[{{pad "x" 2 1}}][{{pad "" 2 1}}]', {})).toBe('[  x ][]');
    expect(run('{{truncate "abcdef" 3}} {{truncate "ab" 3}}', {})).toBe('abc ab');
    expect(run('{{len .Args}} {{len .NetworkSettings.Networks}} {{len "héllo"}}', container)).toBe('2 2 6');
    expect(run('{{println "a" 1}}', {})).toBe('a 1\n');
    expect(run('{{print "a" 1 2 "b"}}', {})).toBe('a1 2b');
  });
  it('printf with widths, flags and bad verbs', () => {
    expect(sprintf('%-8s|%5d|%05d|%x|%q|%t|%v', ['ab', 42, 7, 255, 'q', true, [1, 2]])).toBe('ab      |   42|00007|ff|"q"|true|[1 2]');
    expect(sprintf('%d', ['x'])).toBe('%!d(string=x)');
    expect(sprintf('%s %s', ['a'])).toBe('a %!s(MISSING)');
    expect(sprintf('%s', ['a', 'b'])).toBe('a%!(EXTRA string=b)');
    expect(run('{{printf "%.12s" .Id}}', { Id: '9f88e3fafaac9cc2d8704bf266b6f7f5' })).toBe('9f88e3fafaac');
  });
});

describe('structs and methods (formatter contexts)', () => {
  const ctx = goStruct({ ID: () => 'abc', Label: (k: unknown) => `L(${String(k)})`, Names: () => 'web' }, '*formatter.ContainerContext');
  it('calls methods, with arguments', () => {
    expect(run('{{.ID}} {{.Label "com.x"}} {{.Names}}', ctx)).toBe('abc L(com.x) web');
  });
  it('a field a struct does not have is an error naming the type', () => {
    expect(err('{{.Foo}}', ctx)).toBe(
      'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.ContainerContext',
    );
    expect(err('{{.Name.Foo}}', container)).toBe('template: :1:2: executing "" at <.Name.Foo>: can\'t evaluate field Foo in type string');
  });
});

describe("Go's error texts", () => {
  it('parse errors', () => {
    expect(err('{{foo}}')).toBe('template: :1: function "foo" not defined');
    expect(err('{{.Name')).toBe('template: :1: unclosed action');
    expect(err('{{if .X}}a')).toBe('template: :1: unexpected EOF');
    expect(err('{{end}}')).toBe('template: :1: unexpected {{end}}');
    expect(err('{{$x}}')).toBe('template: :1: undefined variable "$x"');
    expect(err('{{range}}{{end}}')).toBe('template: :1: missing value for range');
    expect(err('{{.A}\n}')).toBe("template: :1: unrecognized character in action: U+007D '}'");
  });
  it('execution errors', () => {
    expect(err('{{json}}')).toBe('template: :1:2: executing "" at <json>: wrong number of args for json: want 1 got 0');
    expect(err('{{index .A 5}}', { A: [1] })).toBe(
      'template: :1:2: executing "" at <index .A 5>: error calling index: index out of range: 5',
    );
    expect(err('{{range .A}}{{end}}', { A: 3 })).toBe('template: :1:8: executing "" at <{{range .A}}{{end}}>: range can\'t iterate over 3');
    expect(err('{{join .A ","}}', { A: [1, 2] })).toBe(
      'template: :1:7: executing "" at <.A>: wrong type for value; expected []string; got []interface {}',
    );
  });
});

describe('properties', () => {
  it('text without actions is copied verbatim', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('{{')),
        (s) => run(s, {}) === s,
      ),
    );
  });
  it('{{.}} of a string prints the string', () => {
    fc.assert(fc.property(fc.string(), (s) => run('{{.}}', s) === s));
  });
  it('formatValue of a string slice joins with spaces in brackets', () => {
    fc.assert(fc.property(fc.array(fc.string()), (xs) => formatValue(xs) === `[${xs.join(' ')}]`));
  });
});
