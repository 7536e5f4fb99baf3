/**
 * The course's image catalog (default profile): what the images on Docker Hub contain that
 * matters to networking lessons — their Cmd/Entrypoint, EXPOSEd ports, Env, WorkingDir, which
 * tools are installed (the real nginx image has no `ping` or `ip`), the userland and prompt.
 * Image ids are stand-ins derived from the name (the real digests change with every push).
 */
import type { ImageData } from './types.ts';
import { BUSYBOX_TOOLS, DEBIAN_BASE } from './tools.ts';

/** A stable 64-hex id derived from a string (FNV-1a, four lanes), for catalog images. */
export function digestOf(s: string): string {
  let out = '';
  for (let lane = 0; lane < 8; lane++) {
    let h = (0x811c9dc5 ^ (lane * 0x9e3779b1)) >>> 0;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0x5bd1e995) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEBIAN_PROMPT = 'root@\\h:\\w# ';
const BUSYBOX_PROMPT = '\\w # ';

function img(d: Omit<ImageData, 'id'> & { id?: string }): ImageData {
  return { ...d, id: d.id ?? digestOf(`${d.repo}:${d.tag}`) };
}

const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export const DEFAULT_IMAGES: ImageData[] = [
  img({
    repo: 'busybox',
    tag: 'latest',
    created: '2023-07-18T23:19:33.655005962Z',
    size: 4261550,
    exposed: [],
    cmd: ['sh'],
    entrypoint: null,
    env: [PATH],
    workdir: '',
    userland: 'busybox',
    tools: BUSYBOX_TOOLS,
    programDir: '/bin',
    prompt: BUSYBOX_PROMPT,
    shells: ['sh'],
  }),
  img({
    repo: 'alpine',
    tag: 'latest',
    created: '2023-11-30T23:22:50.101009215Z',
    size: 7376416,
    exposed: [],
    cmd: ['/bin/sh'],
    entrypoint: null,
    env: [PATH],
    workdir: '',
    userland: 'busybox',
    tools: [...BUSYBOX_TOOLS, 'apk'],
    prompt: BUSYBOX_PROMPT,
    shells: ['sh', 'ash'],
  }),
  img({
    repo: 'centos',
    tag: '7',
    created: '2021-09-15T18:20:05.184694267Z',
    size: 203946701,
    exposed: [],
    cmd: ['/bin/bash'],
    entrypoint: null,
    env: [PATH],
    workdir: '',
    userland: 'gnu',
    tools: [...DEBIAN_BASE, 'ip', 'ping', 'curl', 'ps', 'yum', 'vi'],
    prompt: '[root@\\h \\W]# ',
    shells: ['bash', 'sh'],
    // bash's default prompt on CentOS comes from /etc/bashrc, keyed on this file.
    files: {
      '/etc/redhat-release': 'CentOS Linux release 7.9.2009 (Core)\n',
      '/etc/centos-release': 'CentOS Linux release 7.9.2009 (Core)\n',
    },
    labels: {
      'org.label-schema.build-date': '20201113',
      'org.label-schema.license': 'GPLv2',
      'org.label-schema.name': 'CentOS Base Image',
      'org.label-schema.schema-version': '1.0',
      'org.label-schema.vendor': 'CentOS',
      'org.opencontainers.image.created': '2020-11-13 00:00:00+00:00',
      'org.opencontainers.image.licenses': 'GPL-2.0-only',
      'org.opencontainers.image.title': 'CentOS Base Image',
      'org.opencontainers.image.vendor': 'CentOS',
    },
  }),
  img({
    repo: 'ubuntu',
    tag: 'latest',
    created: '2023-12-12T11:38:41.418430406Z',
    size: 77823580,
    exposed: [],
    cmd: ['/bin/bash'],
    entrypoint: null,
    env: [PATH],
    workdir: '',
    userland: 'gnu',
    tools: [...DEBIAN_BASE, 'apt-get', 'apt'],
    prompt: DEBIAN_PROMPT,
    shells: ['bash', 'sh'],
  }),
  img({
    repo: 'debian',
    tag: 'latest',
    created: '2023-12-19T01:20:40.254164306Z',
    size: 116511598,
    exposed: [],
    cmd: ['bash'],
    entrypoint: null,
    env: [PATH],
    workdir: '',
    userland: 'gnu',
    tools: [...DEBIAN_BASE, 'apt-get', 'apt'],
    prompt: DEBIAN_PROMPT,
    shells: ['bash', 'sh'],
  }),
  img({
    repo: 'nginx',
    tag: 'latest',
    created: '2023-12-19T14:16:49.434214376Z',
    size: 186817386,
    exposed: ['80/tcp'],
    cmd: ['nginx', '-g', 'daemon off;'],
    entrypoint: ['/docker-entrypoint.sh'],
    env: [PATH, 'NGINX_VERSION=1.25.3', 'NJS_VERSION=0.8.2', 'PKG_RELEASE=1~bookworm'],
    workdir: '',
    userland: 'gnu',
    tools: [...DEBIAN_BASE, 'nginx', 'curl', 'apt-get'],
    prompt: DEBIAN_PROMPT,
    shells: ['bash', 'sh'],
    labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' },
    // The default site nginx serves (the image's /usr/share/nginx/html/index.html).
    files: { '/usr/share/nginx/html/index.html': NGINX_WELCOME },
  }),
  img({
    repo: 'redis',
    tag: 'latest',
    created: '2023-12-19T06:14:18.385116582Z',
    size: 138354398,
    exposed: ['6379/tcp'],
    cmd: ['redis-server'],
    entrypoint: ['docker-entrypoint.sh'],
    env: [
      PATH,
      'GOSU_VERSION=1.17',
      'REDIS_VERSION=7.2.3',
      'REDIS_DOWNLOAD_URL=http://download.redis.io/releases/redis-7.2.3.tar.gz',
      'REDIS_DOWNLOAD_SHA=3e2b196d6eb4ddb9e743088bfc2915ccbb42d40f5a8a3edd8cb69c716ec34be7',
    ],
    workdir: '/data',
    userland: 'gnu',
    tools: [...DEBIAN_BASE, 'redis-server', 'redis-cli', 'apt-get'],
    prompt: DEBIAN_PROMPT,
    shells: ['bash', 'sh'],
  }),
  img({
    repo: 'mysql',
    tag: 'latest',
    created: '2023-12-15T00:43:34.112282245Z',
    size: 582365722,
    exposed: ['3306/tcp', '33060/tcp'],
    cmd: ['mysqld'],
    entrypoint: ['docker-entrypoint.sh'],
    env: [PATH, 'GOSU_VERSION=1.16', 'MYSQL_MAJOR=innovation', 'MYSQL_VERSION=8.2.0-1.el8', 'MYSQL_SHELL_VERSION=8.2.1-1.el8'],
    workdir: '',
    userland: 'gnu',
    tools: [...DEBIAN_BASE, 'mysqld', 'mysql', 'microdnf'],
    prompt: 'bash-4.4# ',
    shells: ['bash', 'sh'],
  }),
  img({
    repo: 'tomcat',
    tag: 'latest',
    created: '2023-12-12T17:40:25.305366281Z',
    size: 454296960,
    exposed: ['8080/tcp'],
    cmd: ['catalina.sh', 'run'],
    entrypoint: null,
    env: [
      'PATH=/usr/local/tomcat/bin:/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'JAVA_HOME=/opt/java/openjdk',
      'LANG=en_US.UTF-8',
      'LANGUAGE=en_US:en',
      'LC_ALL=en_US.UTF-8',
      'JAVA_VERSION=jdk-21.0.1+12',
      'CATALINA_HOME=/usr/local/tomcat',
      'TOMCAT_NATIVE_LIBDIR=/usr/local/tomcat/native-jni-lib',
      'LD_LIBRARY_PATH=/usr/local/tomcat/native-jni-lib',
      'TOMCAT_MAJOR=10',
      'TOMCAT_VERSION=10.1.17',
    ],
    workdir: '/usr/local/tomcat',
    userland: 'gnu',
    tools: [...DEBIAN_BASE, 'java', 'catalina.sh', 'apt-get'],
    prompt: DEBIAN_PROMPT,
    shells: ['bash', 'sh'],
  }),
  img({
    repo: 'adminer',
    tag: 'latest',
    created: '2023-12-08T22:21:33.170541719Z',
    size: 250286010,
    exposed: ['8080/tcp'],
    cmd: ['php', '-S', '[::]:8080', '-t', '/var/www/html'],
    entrypoint: ['entrypoint.sh', 'docker-php-entrypoint'],
    env: [
      PATH,
      'PHPIZE_DEPS=autoconf dpkg-dev dpkg file g++ gcc libc-dev make pkgconf re2c',
      'PHP_INI_DIR=/usr/local/etc/php',
      'PHP_VERSION=8.3.0',
      'ADMINER_VERSION=4.8.1',
    ],
    workdir: '/var/www/html',
    userland: 'busybox',
    tools: [...BUSYBOX_TOOLS, 'php', 'apk'],
    prompt: '\\h:\\w$ ',
    shells: ['sh', 'ash'],
  }),
  img({
    repo: 'python',
    tag: '2.7',
    created: '2020-04-23T00:36:31.474893513Z',
    size: 906452404,
    exposed: [],
    cmd: ['python2'],
    entrypoint: null,
    env: [
      PATH,
      'LANG=C.UTF-8',
      'PYTHONIOENCODING=UTF-8',
      'GPG_KEY=C01E1CAD5EA2C4F0B8E3571504C367C218ADD4FF',
      'PYTHON_VERSION=2.7.18',
      'PYTHON_PIP_VERSION=20.0.2',
    ],
    workdir: '',
    userland: 'gnu',
    tools: [...DEBIAN_BASE, 'python', 'python2', 'pip', 'curl', 'wget', 'apt-get'],
    prompt: DEBIAN_PROMPT,
    shells: ['bash', 'sh'],
  }),
  img({
    repo: 'python',
    tag: '3',
    created: '2023-12-19T07:21:36.227437154Z',
    size: 1016743208,
    exposed: [],
    cmd: ['python3'],
    entrypoint: null,
    env: [PATH, 'LANG=C.UTF-8', 'GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305', 'PYTHON_VERSION=3.12.1', 'PYTHON_PIP_VERSION=23.2.1'],
    workdir: '',
    userland: 'gnu',
    tools: [...DEBIAN_BASE, 'python', 'python3', 'pip', 'curl', 'wget', 'apt-get'],
    prompt: DEBIAN_PROMPT,
    shells: ['bash', 'sh'],
  }),
];
