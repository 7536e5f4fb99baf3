// telnet (src/sim/shell/commands/clients/telnet.ts): inetutils' on the Debian host, busybox's in
// containers; "does anything answer on this port?" as the course's seed uses it.
import { describe, expect, it } from 'vitest';
import { createLab } from '../../src/sim/lab/lab.ts';

function terminal() {
  const lab = createLab({ profile: 'course' });
  const s = lab.openSession();
  const type = (line: string): { out: string; state: string; exit?: number } => {
    let r = s.submit(line) as { state: string; exit?: number };
    while (r.state === 'sleeping') r = s.resume() as { state: string; exit?: number };
    return { out: s.drain(), ...r };
  };
  type('docker run -d --name web -p 8080:80 nginx');
  return { lab, s, type };
}

describe('telnet on the host (inetutils)', () => {
  it('connects, sends typed lines with CR LF, shows the answer and the close', () => {
    const { lab, type } = terminal();
    expect(type('telnet 172.17.0.2 80')).toEqual({
      out: "Trying 172.17.0.2...\nConnected to 172.17.0.2.\nEscape character is '^]'.\n",
      state: 'input',
    });
    type('GET / HTTP/1.0');
    const r = type('');
    expect(r.state).toBe('done');
    expect(r.exit).toBe(1);
    expect(r.out).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.25\.3\r\n/);
    // nginx closes an HTTP/1.0 connection that did not ask for keep-alive, and says so.
    expect(r.out).toContain('\r\nConnection: close\r\n');
    expect(r.out).toMatch(/<h1>Welcome to nginx!<\/h1>[\s\S]*Connection closed by foreign host\.\n$/);
    expect(lab.exec('docker logs web').output).toMatch(/"GET \/ HTTP\/1\.0" 200 615 /);
    // The packet trace belongs to the telnet command, not to the lines typed into it.
    expect(lab.lastTrace()?.command).toBe('telnet 172.17.0.2 80');
  });

  it('through the published port, DNAT included', () => {
    const { lab, type } = terminal();
    const lanIp = lab.exec("ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1").output.trim();
    expect(type(`telnet ${lanIp} 8080`).out).toContain(`Connected to ${lanIp}.\n`);
    const events = lab.lastTrace()?.events ?? [];
    expect(events).toContainEqual(expect.objectContaining({ kind: 'nat', type: 'DNAT', to: '172.17.0.2:80' }));
    // A later command that sends nothing does not take the trace over.
    lab.exec('docker ps');
    expect(lab.lastTrace()?.command).toBe(`telnet ${lanIp} 8080`);
  });

  it('refused, unknown host, bad port: the real words and exit 1', () => {
    const { type } = terminal();
    expect(type('telnet 172.17.0.2 81')).toEqual({
      out: 'Trying 172.17.0.2...\ntelnet: Unable to connect to remote host: Connection refused\n',
      state: 'done',
      exit: 1,
    });
    expect(type('telnet nosuch 80')).toEqual({
      out: 'Server lookup failure:  nosuch:80, Name or service not known\n',
      state: 'done',
      exit: 1,
    });
    expect(type('telnet 172.17.0.2 70000')).toEqual({ out: 'Port number 70000 is out of range.\n', state: 'done', exit: 1 });
    expect(type('telnet 172.17.0.2 8x')).toEqual({ out: "Invalid port name '8x'.\n", state: 'done', exit: 1 });
  });

  it('Ctrl-C leaves a connected session as ^] quit would', () => {
    const { s, type } = terminal();
    type('telnet 172.17.0.2 80');
    s.interrupt();
    expect(s.drain()).toContain('Connection closed.\n');
  });

  it('with no host, the telnet> prompt: help, ambiguity, quit', () => {
    const { type } = terminal();
    expect(type('telnet')).toEqual({ out: 'telnet> ', state: 'input' });
    expect(type('?').out).toMatch(/^Commands may be abbreviated\. {2}Commands are:\n\nclose {3}\tclose current connection\n/);
    expect(type('s').out).toBe('?Ambiguous command\ntelnet> ');
    expect(type('frobnicate').out).toBe('?Invalid command\ntelnet> ');
    expect(type('quit')).toEqual({ out: '', state: 'done', exit: 0 });
  });
});

describe('telnet in a busybox container', () => {
  it('connects silently; a refusal and a bad name in busybox words', () => {
    const { lab } = terminal();
    lab.exec('docker run -d --name box busybox sleep 1000');
    expect(lab.exec('docker exec box telnet 172.17.0.2 81')).toEqual({
      output: "telnet: can't connect to remote host (172.17.0.2): Connection refused\n",
      exit: 1,
    });
    expect(lab.exec('docker exec box telnet nosuch')).toEqual({ output: "telnet: bad address 'nosuch'\n", exit: 1 });
    expect(lab.exec('docker exec box telnet').output).toMatch(/^BusyBox v1\.36\.1 .*\n\nUsage: telnet \[-a\] \[-l USER\] HOST \[PORT\]\n/);
    // Without a terminal, stdin is empty: connected, then EOF ends it quietly.
    expect(lab.exec('docker exec box telnet 172.17.0.2 80')).toEqual({ output: '', exit: 0 });
    expect(lab.exec('docker exec box which telnet').output).toBe('/bin/telnet\n');
  });
});
