// The files behind installed programs (src/sim/shell/program-files.ts): what `which` names is a
// file `ls` finds, on a host and in images, with the image's own layout.
import { describe, expect, it } from 'vitest';
import { createLab } from '../../src/sim/lab/lab.ts';

describe('program files', () => {
  const lab = createLab({ profile: 'course' });
  const sh = (cmd: string): string => lab.exec(cmd).output;

  it('a Debian 12 host has the merged-/usr root and a file for every program which names', () => {
    expect(sh('ls /').split(/\s+/).filter(Boolean)).toEqual([
      'bin',
      'boot',
      'dev',
      'etc',
      'home',
      'lib',
      'lib64',
      'media',
      'mnt',
      'opt',
      'proc',
      'root',
      'run',
      'sbin',
      'srv',
      'sys',
      'tmp',
      'usr',
      'var',
    ]);
    expect(sh('ls -l /bin /sbin')).toMatch(
      /^lrwxrwxrwx 1 root root 7 .* \/bin -> usr\/bin\nlrwxrwxrwx 1 root root 8 .* \/sbin -> usr\/sbin\n$/,
    );
    for (const tool of ['docker', 'ip', 'iptables', 'curl', 'ping']) {
      const path = sh(`which ${tool}`).trim();
      expect(sh(`ls -l ${path}`)).toMatch(new RegExp(`^-rwxr-xr-x 1 root root 0 .* ${path}\\n$`));
    }
    // Unit files under /lib land in /usr/lib, through the link.
    expect(lab.exec('test -f /usr/lib/systemd/system/docker.service').exit).toBe(0);
  });

  it('the busybox image has every applet in /bin; alpine keeps busybox’s usual paths', () => {
    expect(sh('docker run --rm busybox which ifconfig ip ls')).toBe('/bin/ifconfig\n/bin/ip\n/bin/ls\n');
    expect(sh('docker run --rm busybox ls /')).toBe('bin\ndev\netc\nproc\nroot\nsys\ntmp\nusr\nvar\n');
    expect(sh('docker run --rm busybox sh -c "[ -x /bin/ping ] && echo ok"')).toBe('ok\n');
    expect(sh('docker run --rm alpine which ifconfig ls')).toBe('/sbin/ifconfig\n/bin/ls\n');
    expect(sh('docker run --rm alpine ls /sbin/ifconfig')).toBe('/sbin/ifconfig\n');
  });

  it('an image without a program has no file for it', () => {
    expect(sh('docker run --rm nginx ls /usr/bin/vi')).toMatch(/No such file or directory/);
    expect(sh('docker run --rm nginx ls /usr/sbin')).toBe('nginx\n');
  });
});
