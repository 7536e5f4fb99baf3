import { describe, it, expect } from 'vitest';
import { createLab } from '../../src/sim/index.ts';
import { execStartArgs } from '../../src/sim/shell/commands/system/systemctl.ts';

describe('systemctl and the Docker service', () => {
  it('applies /etc/docker/daemon.json on restart', () => {
    const lab = createLab({ seed: 1 });
    expect(lab.exec(`echo '{ "bip": "10.10.0.1/24" }' > /etc/docker/daemon.json`).exit).toBe(0);
    expect(lab.exec('systemctl restart docker')).toEqual({ output: '', exit: 0 });
    expect(lab.exec('ip -4 addr show docker0').output).toContain('inet 10.10.0.1/24 brd 10.10.0.255 scope global docker0');
  });

  it('uses an edited unit only after daemon-reload, warning like systemd', () => {
    const lab = createLab({ seed: 1 });
    lab.exec(`sed -i 's#^ExecStart=.*#ExecStart=/usr/sbin/dockerd -H fd:// --icc=false#' /lib/systemd/system/docker.service`);
    const r = lab.exec('systemctl restart docker');
    expect(r.output).toContain("Run 'systemctl daemon-reload' to reload units.");
    expect(lab.exec('iptables -S FORWARD').output).not.toContain('-i docker0 -o docker0 -j DROP');
    lab.exec('systemctl daemon-reload');
    expect(lab.exec('systemctl restart docker').output).toBe('');
    expect(lab.exec('iptables -S FORWARD').output).toContain('-A FORWARD -i docker0 -o docker0 -j DROP');
  });

  it('a bad configuration fails the service; docker then cannot connect; journalctl tells why', () => {
    const lab = createLab({ seed: 1 });
    lab.exec(`echo '{ "bip": "nonsense" }' > /etc/docker/daemon.json`);
    const r = lab.exec('systemctl restart docker');
    expect(r.exit).toBe(1);
    expect(r.output).toContain('Job for docker.service failed because the control process exited with error code.');
    expect(lab.exec('systemctl is-active docker')).toEqual({ output: 'failed\n', exit: 3 });
    expect(lab.exec('docker ps')).toEqual({
      output: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      exit: 1,
    });
    expect(lab.exec('journalctl -u docker').output).toContain(
      'failed to start daemon: Error initializing network controller: invalid CIDR address: nonsense',
    );
  });

  it('expands EnvironmentFile variables and drops the fd:// socket', () => {
    const files: Record<string, string> = { '/etc/default/docker': 'DOCKER_OPTS="--mtu 1400 --icc=false"\n' };
    const unit = '[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/sbin/dockerd -H fd:// $DOCKER_OPTS\n';
    expect(execStartArgs(unit, (p) => files[p] ?? null)).toEqual(['--mtu', '1400', '--icc=false']);
    expect(execStartArgs(unit + '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --bip=10.1.0.1/24\n', () => null)).toEqual([
      '--bip=10.1.0.1/24',
    ]);
  });
});
