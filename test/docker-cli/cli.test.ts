/**
 * The docker CLI against the engine in a golden-profile lab: outputs, error texts and exit
 * codes copied from ../shared/golden (ids normalised where the golden shows random ones).
 */
import { describe, expect, it } from 'vitest';
import { createLab } from '../../src/sim/lab/lab.ts';

function lab() {
  const l = createLab({ profile: 'golden' });
  return (cmd: string): { out: string; exit: number } => {
    const r = l.exec(cmd);
    return { out: r.output, exit: r.exit };
  };
}

const ID64 = /^[0-9a-f]{64}\n$/;

describe('docker CLI on the golden machine', () => {
  it('network ls (golden 01)', () => {
    const out = lab()('docker network ls').out.replace(/[0-9a-f]{12}/g, '<ID>');
    expect(out).toBe(
      'NETWORK ID     NAME      DRIVER    SCOPE\n<ID>   bridge    bridge    local\n<ID>   host      host      local\n<ID>   none      null      local\n',
    );
  });

  it('run -d prints the id; ps shows it; inspect -f reads the address', () => {
    const sh = lab();
    expect(sh('docker run -d --name test1 busybox /bin/sh -c "while true;do sleep 3600;done"').out).toMatch(ID64);
    const ps = sh('docker ps').out.split('\n');
    expect(ps[0]).toBe(
      'CONTAINER ID   IMAGE     COMMAND                  CREATED                  STATUS                  PORTS     NAMES',
    );
    expect(ps[1]).toMatch(
      // eslint-disable-next-line no-regex-spaces -- the column gaps are the point
      /^[0-9a-f]{12}   busybox   "\/bin\/sh -c 'while t…"   Less than a second ago   Up Less than a second             test1$/,
    );
    expect(sh("docker inspect -f '{{.NetworkSettings.IPAddress}}' test1").out).toBe('172.17.0.2\n');
    expect(sh("docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' test1").out).toBe('172.17.0.2\n');
    expect(sh("docker inspect -f '{{json .NetworkSettings.Ports}}' test1").out).toBe('{}\n');
  });

  it('empty ps -a (golden 01)', () => {
    expect(lab()('docker ps -a').out).toBe('CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n');
  });

  it('rm of a running container, then rm -f (golden 01)', () => {
    const sh = lab();
    const id = sh('docker run -d --name test2 busybox sleep 3600').out.trim();
    expect(sh('docker rm test2')).toEqual({
      out: `Error response from daemon: You cannot remove a running container ${id}. Stop the container before attempting removal or force remove\n`,
      exit: 1,
    });
    expect(sh('docker rm -f test2')).toEqual({ out: 'test2\n', exit: 0 });
  });

  it('run errors: flags, ports, names, missing arguments (golden 05, 09)', () => {
    const sh = lab();
    expect(sh('docker run --rm -p 99999:80 nginx')).toEqual({
      out: "docker: Invalid hostPort: 99999.\nSee 'docker run --help'.\n",
      exit: 125,
    });
    expect(sh('docker run --rm -p abc nginx')).toEqual({
      out: "docker: Invalid containerPort: abc.\nSee 'docker run --help'.\n",
      exit: 125,
    });
    expect(sh('docker run --rm --add-host test busybox true')).toEqual({
      out: 'invalid argument "test" for "--add-host" flag: bad format for add-host: "test"\nSee \'docker run --help\'.\n',
      exit: 125,
    });
    expect(sh('docker run -d --name a busybox sleep 3600')).toEqual({
      out: "docker: Error response from daemon: Invalid container name (a), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed.\nSee 'docker run --help'.\n",
      exit: 125,
    });
    expect(sh('docker run --rm --link db:db --net none busybox true')).toEqual({
      out: "docker: links are only supported for user-defined networks.\nSee 'docker run --help'.\n",
      exit: 125,
    });
    expect(sh('docker frobnicate')).toEqual({ out: "docker: 'frobnicate' is not a docker command.\nSee 'docker --help'\n", exit: 1 });
    expect(sh('docker run').exit).toBe(1);
    expect(sh('docker run --bogus busybox')).toEqual({ out: "unknown flag: --bogus\nSee 'docker run --help'.\n", exit: 125 });
  });

  it('attached run prints the container output and returns its status', () => {
    const sh = lab();
    const r = sh('docker run --rm busybox sh -c "echo hello; exit 3"');
    expect(r).toEqual({ out: 'hello\n', exit: 3 });
    expect(sh('docker ps -a -q').out).toBe('');
  });

  it('exec runs in the container; missing programs fail like runc', () => {
    const sh = lab();
    sh('docker run -d --name c1 busybox sleep 3600');
    expect(sh('docker exec c1 hostname').out).toMatch(/^[0-9a-f]{12}\n$/);
    expect(sh('docker exec c1 cat /etc/hostname').out).toBe(sh('docker exec c1 hostname').out);
    const r = sh('docker exec c1 nosuchprog');
    expect(r.exit).toBe(126);
    expect(r.out).toBe(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchprog": executable file not found in $PATH: unknown\n',
    );
    expect(sh('docker exec nosuch true')).toEqual({ out: 'Error: No such container: nosuch\n', exit: 1 });
  });

  it('ports: docker port and its error (golden 05)', () => {
    const sh = lab();
    sh('docker run -d --name web -p 8899:80 nginx');
    expect(sh('docker port web').out).toBe('80/tcp -> 0.0.0.0:8899\n80/tcp -> :::8899\n');
    expect(sh('docker port web 80/tcp').out).toBe('0.0.0.0:8899\n:::8899\n');
    expect(sh('docker port web 81')).toEqual({ out: "Error: No public port '81/tcp' published for web\n", exit: 1 });
    expect(sh('docker ps --format "{{.Names}}\t{{.Ports}}"').out).toBe('web\t0.0.0.0:8899->80/tcp, :::8899->80/tcp\n');
  });

  it('network create, its CLI-side errors, inspect and rm (golden 03)', () => {
    const sh = lab();
    expect(sh('docker network create my-net --subnet=172.25.0.0/16 --gateway=172.25.0.1').out).toMatch(ID64);
    expect(sh('docker network create badgw --subnet=10.99.0.0/16 --gateway=10.98.0.1')).toEqual({
      out: 'no matching subnet for gateway 10.98.0.1\n',
      exit: 1,
    });
    expect(sh('docker network create --ip-range=172.26.1.0/24 norange')).toEqual({
      out: 'every ip-range or gateway must have a corresponding subnet\n',
      exit: 1,
    });
    expect(sh('docker network create my-net')).toEqual({
      out: 'Error response from daemon: network with name my-net already exists\n',
      exit: 1,
    });
    expect(sh("docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' my-net").out).toBe(
      '172.25.0.0/16 172.25.0.1\n',
    );
    expect(sh('docker network rm nosuchnet')).toEqual({ out: 'Error: No such network: nosuchnet\n', exit: 1 });
    expect(sh('docker network rm my-net')).toEqual({ out: 'my-net\n', exit: 0 });
    expect(sh('docker network inspect nosuch')).toEqual({ out: '[]\nError: No such network: nosuch\n', exit: 1 });
  });

  it('inspect templates: raw fallback errors and typed nulls', () => {
    const sh = lab();
    sh('docker run -d --name tt busybox sleep 3600');
    expect(sh("docker inspect -f '{{.Foo}}' tt")).toEqual({
      out: '\ntemplate parsing error: template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"\n',
      exit: 1,
    });
    expect(sh("docker inspect -f '{{json .Config.ExposedPorts}} {{json .Config.Cmd}}' tt").out).toBe('null ["sleep","3600"]\n');
    expect(sh("docker inspect -f '{{.Nope' tt")).toEqual({ out: 'template parsing error: template: :1: unclosed action\n', exit: 64 });
    expect(sh('docker inspect nothing')).toEqual({ out: '[]\nError: No such object: nothing\n', exit: 1 });
  });

  it('build with the classic builder (golden 00)', () => {
    const sh = lab();
    sh(
      'mkdir -p /root/fr && printf \'FROM busybox\\nEXPOSE 5000\\nCMD ["httpd", "-f", "-p", "5000", "-h", "/var/www"]\\n\' > /root/fr/Dockerfile',
    );
    const r = sh('cd /root/fr && docker build -t su/flask-redis .');
    const norm = r.out.replace(/[0-9a-f]{12}/g, '<ID>');
    expect(norm).toBe(
      [
        'Sending build context to Docker daemon  2.048kB',
        '',
        'Step 1/3 : FROM busybox',
        ' ---> <ID>',
        'Step 2/3 : EXPOSE 5000',
        ' ---> Running in <ID>',
        'Removing intermediate container <ID>',
        ' ---> <ID>',
        'Step 3/3 : CMD ["httpd", "-f", "-p", "5000", "-h", "/var/www"]',
        ' ---> Running in <ID>',
        'Removing intermediate container <ID>',
        ' ---> <ID>',
        'Successfully built <ID>',
        'Successfully tagged su/flask-redis:latest',
        '',
      ].join('\n'),
    );
    expect(sh("docker image inspect -f '{{json .Config.ExposedPorts}} {{json .Config.Cmd}}' su/flask-redis").out).toBe(
      '{"5000/tcp":{}} ["httpd","-f","-p","5000","-h","/var/www"]\n',
    );
    expect(sh('cd /root/fr && docker build -t su/flask-redis .').out).toContain(' ---> Using cache\n');
  });

  it('version prints the client and server blocks (golden 00)', () => {
    const out = lab()('docker version').out;
    expect(out.split('\n').slice(0, 3)).toEqual(['Client:', ' Version:           20.10.24+dfsg1', ' API version:       1.41']);
    expect(out).toContain('\nServer:\n Engine:\n  Version:          20.10.24+dfsg1\n  API version:      1.41 (minimum version 1.12)\n');
  });
});

describe('container processes seen from the host', () => {
  it('ps lists a container main process under its host pid; kill PID reaches it as the kernel would', () => {
    const l = createLab({ profile: 'course' });
    const run = (cmd: string): string => l.exec(cmd).output;
    run('docker run -d --name web nginx');
    run('docker run -d --name box busybox sleep 1000');
    const pidOf = (name: string): string => run(`docker inspect -f '{{.State.Pid}}' ${name}`).trim();
    const web = pidOf('web');
    const box = pidOf('box');
    expect(run('ps -ef')).toMatch(new RegExp(`^root +${web} +\\d+ .*nginx -g daemon off;$`, 'm'));
    expect(run('ps -ef').match(/^root +1 /gm)).toHaveLength(1);
    // nginx handles SIGTERM (fast shutdown, status 0); sleep as the namespace's init has no
    // handler, so SIGTERM is ignored, and only SIGKILL, forced from the parent namespace, ends it.
    run(`kill ${web} ${box}`);
    expect(run("docker ps -a --format '{{.Names}} {{.Status}}'")).toMatch(/^box Up .*\nweb Exited \(0\) /);
    run(`kill -9 ${box}`);
    expect(run("docker ps -a --format '{{.Names}} {{.Status}}'")).toMatch(/^box Exited \(137\) /);
    expect(l.exec(`kill ${box}`)).toEqual({ output: `bash: kill: (${box}) - No such process\n`, exit: 1 });
  });

  it('a killed container with --restart always comes back', () => {
    const l = createLab({ profile: 'course' });
    l.exec('docker run -d --name keep --restart always nginx');
    const pid = l.exec("docker inspect -f '{{.State.Pid}}' keep").output.trim();
    l.exec(`kill -s KILL ${pid}`);
    l.exec('sleep 1');
    expect(l.exec("docker inspect -f '{{.State.Status}} {{.RestartCount}}' keep").output).toBe('running 1\n');
  });
});

describe('interactive docker run -it / exec -it on a terminal', () => {
  it('enters the container shell, runs commands there, and returns its exit status', () => {
    const l = createLab({ profile: 'golden' });
    const s = l.openSession();
    const submit = (line: string): { state: string; exit?: number } => {
      let r = s.submit(line) as { state: string; exit?: number };
      while (r.state === 'sleeping') r = s.resume() as { state: string; exit?: number };
      return r;
    };
    expect(submit('docker run -it --name box busybox').state).toBe('input');
    s.drain();
    submit('hostname');
    expect(s.drain()).toMatch(/^[0-9a-f]{12}\n$/);
    expect(submit('exit 3')).toEqual({ state: 'done', exit: 3 });
    s.drain();
    expect(submit('docker ps -a --format "{{.Names}} {{.Status}}"').state).toBe('done');
    expect(s.drain()).toMatch(/^box Exited \(3\) /);
    submit('docker run -d --name db mysql');
    expect(submit('docker exec -it db sh').state).toBe('input');
    s.drain();
    submit('cat /etc/hostname');
    expect(s.drain()).toMatch(/^[0-9a-f]{12}\n$/);
    expect(submit('exit')).toEqual({ state: 'done', exit: 0 });
  });

  it('on a terminal, only -t gives the container process a terminal: without it, its output is a pipe', () => {
    const l = createLab({ profile: 'golden' });
    const s = l.openSession();
    const run = (line: string): string => {
      let r = s.submit(line) as { state: string };
      while (r.state === 'sleeping') r = s.resume() as { state: string };
      return s.drain();
    };
    run('docker run -d --name box busybox sleep 1000');
    // ls prints columns to a terminal and one name a line to a pipe (the recording's busybox
    // rootfs, made with `busybox --install -s`, has /sbin).
    expect(run('docker exec box ls /')).toBe('bin\ndev\netc\nproc\nroot\nsbin\nsys\ntmp\nusr\nvar\n');
    expect(run('docker exec -t box ls /')).toBe('bin   dev   etc   proc  root  sbin  sys   tmp   usr   var\n');
    expect(run('docker run --rm -i busybox ls /')).toBe(run('docker exec box ls /'));
    expect(run('docker exec box sh -c "[ -t 1 ] && echo tty || echo pipe"')).toBe('pipe\n');
    expect(run('docker exec -t box sh -c "[ -t 1 ] && echo tty || echo pipe"')).toBe('tty\n');
    // A full-screen editor needs the terminal.
    expect(run('docker exec box vi /etc/hosts')).toBe("vi: can't read user input\n");
  });

  it('docker run -i feeds a pipe to the main process', () => {
    const l = createLab({ profile: 'golden' });
    expect(l.exec('echo hello | docker run -i --rm busybox cat')).toEqual({ output: 'hello\n', exit: 0 });
    expect(l.exec('printf "echo $((1+2))\\nexit 5\\n" | docker run -i busybox sh')).toEqual({ output: '3\n', exit: 5 });
  });

  it('without a terminal, -it is refused as the real CLI does', () => {
    const l = createLab({ profile: 'golden' });
    expect(l.exec('docker run -it busybox sh')).toEqual({ output: 'the input device is not a TTY\n', exit: 1 });
  });

  it('root flag errors carry the root usage (docker -d from the old syntax)', () => {
    const l = createLab({ profile: 'golden' });
    const r = l.exec('docker -d --icc=false');
    expect(r.exit).toBe(125);
    expect(r.output.startsWith("unknown shorthand flag: 'd' in -d\nSee 'docker --help'.\n\nUsage:  docker [OPTIONS] COMMAND\n")).toBe(true);
  });
});

describe('cp, wait, prune, --format of version/info', () => {
  it('copies files both ways and reports missing paths', () => {
    const sh = lab();
    sh('docker run -d --name web nginx');
    expect(sh('docker cp web:/etc/hostname /tmp/h').exit).toBe(0);
    expect(sh('cat /tmp/h').out).toMatch(/^[0-9a-f]{12}\n$/);
    sh('echo hello > /tmp/x');
    expect(sh('docker cp /tmp/x web:/var/www/').exit).toBe(0);
    expect(sh('docker exec web cat /var/www/x').out).toBe('hello\n');
    expect(sh('docker cp web:/nope /tmp')).toEqual({ out: 'Error: No such container:path: web:/nope\n', exit: 1 });
  });
  it('wait prints the exit code once the container stops', () => {
    const sh = lab();
    sh('docker run -d --name w2 busybox sh -c "sleep 2; exit 4"');
    expect(sh('docker wait w2')).toEqual({ out: '4\n', exit: 0 });
  });
  it('container prune removes stopped containers by id', () => {
    const sh = lab();
    const id = sh('docker run -d --name done busybox true').out.trim();
    sh('docker run -d --name up busybox sleep 3600');
    expect(sh('docker container prune -f').out).toBe(`Deleted Containers:\n${id}\n\nTotal reclaimed space: 0B\n`);
    expect(sh('docker ps -a --format "{{.Names}}"').out).toBe('up\n');
  });
  it('version and info accept Go templates', () => {
    const sh = lab();
    expect(sh("docker version --format '{{.Server.Version}}'").out).toBe('20.10.24+dfsg1\n');
    expect(sh("docker info --format '{{.ContainersRunning}} {{.Name}}'").out).toBe('0 docker-node1\n');
  });
});
