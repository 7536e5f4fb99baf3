/**
 * Lab profiles: the machines a lab is made of, as data. `course` is the course's own world
 * (realistic images as on Docker Hub); `golden` reproduces the machine the golden transcripts
 * were recorded on (../shared/golden/README.md): docker-node1 at 192.168.100.200 on a LAN whose
 * router 192.168.100.1 answers every DNS query with NXDOMAIN, and busybox-based stand-in images.
 */
/** A binary file the simulator knows only by size (`ls -l` shows it; `docker import` reads its kind). */
export interface OpaqueFile {
  size: number;
}

export interface HostSpec {
  name: string;
  /** `nic`: a physical-like Ethernet device; `veth`: a veth to the LAN switch (the golden recording's setup). */
  eth0: { ip: string; prefix: number; mac: string; kind: 'nic' | 'veth' };
  gateway: string;
  /** Extra files of the host's root file system (path → content). */
  files: Record<string, string>;
  /** Binary files known only by their size. */
  opaque?: Record<string, OpaqueFile>;
}

export interface LabProfile {
  name: 'course' | 'golden';
  lan: { subnet: string; routerIp: string; routerMac: string; dns: 'nxdomain' };
  hosts: HostSpec[];
  /** The docker image catalog to load (see src/sim/docker/images). */
  images: 'course' | 'golden';
}

const DOCKER_SERVICE = `[Unit]
Description=Docker Application Container Engine
Documentation=https://docs.docker.com
After=network-online.target docker.socket firewalld.service containerd.service time-set.target
Wants=network-online.target containerd.service
Requires=docker.socket

[Service]
Type=notify
EnvironmentFile=-/etc/default/docker
# the default is not to use systemd for cgroups because the delegate issues still
# exists and systemd currently does not support the cgroup feature set required
# for containers run by docker
ExecStart=/usr/sbin/dockerd -H fd:// $DOCKER_OPTS
ExecReload=/bin/kill -s HUP $MAINPID
TimeoutStartSec=0
RestartSec=2
Restart=always

# Note that StartLimit* options were moved from "Service" to "Unit" in systemd 229.
# Both the old, and new location are accepted by systemd 229 and up, so using an old systemd
# will break as well.
StartLimitBurst=3

# Note that StartLimitInterval was renamed to StartLimitIntervalSec in systemd 230.
# Both the old, and new name are accepted by systemd 230 and up, so using an old systemd
# will break as well.
StartLimitInterval=60s

# Having non-zero Limit*s causes performance problems due to accounting overhead
# in the kernel. We recommend using cgroups to do container-local accounting.
LimitNOFILE=infinity
LimitNPROC=infinity
LimitCORE=infinity

# Comment TasksMax if your systemd version does not support it.
# Only systemd 226 and above support it.
TasksMax=infinity

# set delegate yes so that systemd does not reset the cgroups of docker containers
Delegate=yes

# kill only the docker process, not all processes in the cgroup
KillMode=process
OOMScoreAdjust=-500

[Install]
WantedBy=multi-user.target
`;

function hostFiles(name: string, ip: string): Record<string, string> {
  return {
    '/etc/hostname': `${name}\n`,
    '/etc/hosts': `127.0.0.1\tlocalhost\n${ip}\t${name}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`,
    '/etc/resolv.conf': 'nameserver 192.168.100.1\n',
    '/etc/os-release':
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
    '/etc/passwd':
      'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    '/etc/group': 'root:x:0:\ndaemon:x:1:\ndocker:x:998:\nnogroup:x:65534:\n',
    '/lib/systemd/system/docker.service': DOCKER_SERVICE,
    '/etc/default/docker':
      '# Docker Upstart and SysVinit configuration file\n\n# Use DOCKER_OPTS to modify the daemon startup options.\n#DOCKER_OPTS="--dns 8.8.8.8 --dns 8.8.4.4"\n',
    '/root/.bashrc': '# ~/.bashrc: executed by bash(1) for non-login shells.\n',
  };
}

const NODE1: HostSpec = {
  name: 'docker-node1',
  eth0: { ip: '192.168.100.200', prefix: 24, mac: '52:54:00:4e:64:c8', kind: 'nic' },
  gateway: '192.168.100.1',
  files: hostFiles('docker-node1', '192.168.100.200'),
};

const NODE2: HostSpec = {
  name: 'docker-node2',
  eth0: { ip: '192.168.100.201', prefix: 24, mac: '52:54:00:4e:64:c9', kind: 'nic' },
  gateway: '192.168.100.1',
  files: hostFiles('docker-node2', '192.168.100.201'),
};

const LAN = { subnet: '192.168.100.0/24', routerIp: '192.168.100.1', routerMac: '52:54:00:4e:64:01', dns: 'nxdomain' as const };

/** The recording machine: eth0 is a veth into the LAN namespace; /root holds the image sources of 00-images. */
function goldenHost(h: HostSpec): HostSpec {
  return {
    ...h,
    eth0: { ...h.eth0, kind: 'veth' },
    files: {
      ...h.files,
      '/root/flask-redis/Dockerfile':
        'FROM busybox\nRUN echo "Hello Container World! my hostname is $(hostname)" > /var/www/index.html\nEXPOSE 5000\nCMD ["httpd", "-f", "-p", "5000", "-h", "/var/www"]\n',
      '/root/ch5_expose/Dockerfile': 'FROM busybox\nEXPOSE 5000 6000 7000\nCMD ["nc", "-ll", "-p", "5000", "-e", "/bin/cat"]\n',
      // The recording VM: its kernel, memory, and dockerd running in a container (RECORDING.md).
      '/proc/sys/kernel/osrelease': '6.18.44-fc-v595\n',
      '/proc/meminfo': 'MemTotal:       24683480 kB\nMemFree:        20971520 kB\n',
      '/run/.containerenv': '',
      '/etc/docker/key.json': '{"crv":"P-256","kid":"FRFU:XWLS:5QKX:6N5I:5NUQ:3NZI:JGFO:XBG5:4MQ6:66XL:FY2Y:XQKF","kty":"EC"}\n',
    },
    opaque: { '/root/busybox-rootfs.tar': { size: 2140160 }, '/root/glibc-rootfs.tar': { size: 30750720 } },
  };
}

export const PROFILES: Record<LabProfile['name'], LabProfile> = {
  course: { name: 'course', lan: LAN, hosts: [NODE1, NODE2], images: 'course' },
  golden: { name: 'golden', lan: LAN, hosts: [goldenHost(NODE1), goldenHost(NODE2)], images: 'golden' },
};

export function profileByName(name: string): LabProfile | null {
  return (PROFILES as Record<string, LabProfile>)[name] ?? null;
}
