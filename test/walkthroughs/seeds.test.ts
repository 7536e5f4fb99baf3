/**
 * The seeds' walkthroughs, end to end in the course profile, as a learner would type them.
 */
import { describe, it, expect } from 'vitest';
import { createLab } from '../../src/sim/index.ts';

const APP = `from flask import Flask
from redis import Redis
import os
import socket
app = Flask(__name__)
redis = Redis(host=os.environ.get('REDIS_HOST', '127.0.0.1'), port=6379)
@app.route('/')
def hello():
    redis.incr('hits')
    return 'Hello Container World! website access %s count! and my hostname is %s.\\n' % (redis.get('hits'),socket.gethostname())
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=80, debug=True)
`;

const DOCKERFILE = `FROM python:2.7
RUN pip install flask redis
ADD app.py /
EXPOSE 80
CMD [ "python", "/app.py" ]
`;

describe('seed 000: flask + redis over --link', () => {
  it('builds the app, links it to redis, counts hits through the published port', () => {
    const lab = createLab({ seed: 3 });
    const run = (c: string) => lab.exec(c);
    expect(run('docker run -d --name myredis redis:latest').exit).toBe(0);
    expect(run('mkdir -p /root/flask_redis').exit).toBe(0);
    expect(lab.writeFile('/root/flask_redis/app.py', APP)).toBeNull();
    expect(lab.writeFile('/root/flask_redis/Dockerfile', DOCKERFILE)).toBeNull();
    const build = run('cd /root/flask_redis && docker build -t python-web:v1.0 .');
    expect(build.exit).toBe(0);
    expect(build.output).toContain('Successfully tagged python-web:v1.0');
    const id = run('docker run -d --name python-web --link myredis -e "REDIS_HOST=myredis" -p 8899:80 python-web:v1.0');
    expect(id.exit).toBe(0);
    const short = id.output.trim().slice(0, 12);
    expect(run('curl localhost:8899').output).toBe(`Hello Container World! website access 1 count! and my hostname is ${short}.\n`);
    expect(run('curl -s 192.168.100.200:8899').output).toContain('website access 2 count!');
    expect(run('docker exec myredis redis-cli get hits').output).toBe('2\n');
    // Without the link the name does not resolve: the app fails, as Flask would with a 500.
    run('docker rm -f python-web');
    run('docker run -d --name python-web2 -e "REDIS_HOST=myredis" -p 8899:80 python-web:v1.0');
    expect(run('curl -s localhost:8899').output).toContain('500 Internal Server Error');
  });

  it('the app fails to start when flask is not installed', () => {
    const lab = createLab({ seed: 3 });
    lab.exec('mkdir -p /root/app');
    lab.writeFile('/root/app/app.py', APP);
    lab.writeFile('/root/app/Dockerfile', 'FROM python:2.7\nADD app.py /\nCMD [ "python", "/app.py" ]\n');
    expect(lab.exec('cd /root/app && docker build -t noflask .').exit).toBe(0);
    lab.exec('docker run -d --name web noflask');
    expect(lab.exec('docker logs web').output).toContain('ImportError: No module named flask');
    expect(lab.exec("docker ps -a --format '{{.Names}} {{.Status}}'").output).toMatch(/^web Exited \(1\)/);
  });
});
