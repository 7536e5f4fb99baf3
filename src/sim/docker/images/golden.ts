/**
 * The `golden` profile's images: the stand-ins the golden transcripts were recorded with
 * (shared/golden/00-images.txt and RECORDING.md) — busybox-static 1.35 roots imported with a
 * CMD/EXPOSE change, a small glibc root for `centos:7`, and two `docker build` results. Ids and
 * sizes are the recorded ones.
 */
import type { ImageData } from './types.ts';
import { BUSYBOX_TOOLS, DEBIAN_BASE } from './tools.ts';

const INDEX = '<html><body><h1>It works!</h1></body></html>\n';
const BUSYBOX_FILES = { '/var/www/index.html': INDEX, '/etc/nsswitch.conf': 'hosts: files dns\n' };
const BB_SIZE = 1986222;

function bb(repo: string, id: string, created: string, cmd: string[], exposed: string[] = [], workdir = ''): ImageData {
  return {
    repo,
    tag: 'latest',
    id,
    created,
    size: BB_SIZE,
    exposed,
    cmd,
    entrypoint: null,
    env: null,
    workdir,
    userland: 'busybox',
    tools: BUSYBOX_TOOLS,
    prompt: '\\w # ',
    shells: ['sh', 'ash'],
    files: BUSYBOX_FILES,
    comment: 'Imported from -',
  };
}

/** The glibc root: bash, coreutils, iproute2, iputils, net-tools, procps, curl, getent, plus busybox for a few tools. */
export const GOLDEN_GLIBC_TOOLS = [
  ...DEBIAN_BASE,
  'ip',
  'ss',
  'ping',
  'ifconfig',
  'route',
  'netstat',
  'arp',
  'ps',
  'curl',
  'getent',
  'busybox',
  'nslookup',
  'nc',
  'wget',
  'httpd',
  'traceroute',
];

export const GOLDEN_IMAGES: ImageData[] = [
  bb('busybox', '8e0282af9ccc322b2e9a595baa84b6f0b6bdf7aab6476f2ed1b7c5f3e3e329fc', '2026-11-23T10:29:30.512338113Z', ['sh']),
  bb('alpine', '106d4900dd0cf24b51f6978df3347cbf1fc15677e030dca1e2c6fb568df919c0', '2026-11-23T10:29:30.998761542Z', ['/bin/sh']),
  {
    repo: 'centos',
    tag: '7',
    id: '300cf66a69ae80fc83a9814432b93936ff886af31ae079d8ac826d89f43d6b0f',
    created: '2026-11-23T10:29:31.702113964Z',
    size: 30712380,
    exposed: [],
    cmd: ['/bin/bash'],
    entrypoint: null,
    env: null,
    workdir: '',
    userland: 'gnu',
    tools: GOLDEN_GLIBC_TOOLS,
    prompt: 'bash-5.2# ',
    shells: ['bash', 'sh'],
    comment: 'Imported from -',
    files: { '/var/www/index.html': INDEX },
  },
  bb(
    'redis',
    '3f1258ae31318c8187ae113ed1adc22d8739d4d04c891ba3afd540a5fc0b9255',
    '2026-11-23T10:29:32.231845572Z',
    ['nc', '-ll', '-p', '6379', '-e', '/bin/cat'],
    ['6379/tcp'],
  ),
  bb(
    'nginx',
    '714e553092e68f8c5271c591978d994b8ecd8c018cd77136252ac11f50b12bcd',
    '2026-11-23T10:29:32.727344193Z',
    ['httpd', '-f', '-p', '80', '-h', '/var/www'],
    ['80/tcp'],
  ),
  bb(
    'mysql',
    '6e39914a68a9d8eb23004ad25cafb20d8bf4f33b1ff64ae9c80e80895c4ca0e7',
    '2026-11-23T10:29:33.245013271Z',
    ['nc', '-ll', '-p', '3306', '-e', '/bin/cat'],
    ['3306/tcp', '33060/tcp'],
  ),
  bb(
    'tomcat',
    '7d65623ce1186ab3edfb25a773c119e2bb312852b2fb3f93c3a4e76ccb49f881',
    '2026-11-23T10:29:33.771542108Z',
    ['httpd', '-f', '-p', '8080', '-h', '/var/www'],
    ['8080/tcp'],
    '/usr/local/tomcat',
  ),
  {
    ...bb(
      'dockerinaction/ch5_expose',
      'f17905eb41d1c817027d2d0024e6749c5b5c7a5c77f87cb71d4c2022069796d6',
      '2026-11-23T10:29:34.650128332Z',
      ['nc', '-ll', '-p', '5000', '-e', '/bin/cat'],
      ['5000/tcp', '6000/tcp', '7000/tcp'],
    ),
    comment: '',
    parent: '8e0282af9ccc322b2e9a595baa84b6f0b6bdf7aab6476f2ed1b7c5f3e3e329fc',
  },
  {
    ...bb(
      'su/flask-redis',
      'eba061d9e4704f3568af2279bc7ed6354e06e5a2257ef4614d99ce4cacf47482',
      '2026-11-23T10:29:34.920452803Z',
      ['httpd', '-f', '-p', '5000', '-h', '/var/www'],
      ['5000/tcp'],
    ),
    // The RUN step wrote the build container's hostname (`Running in c1f464d4c81e`) into the page.
    files: { ...BUSYBOX_FILES, '/var/www/index.html': 'Hello Container World! my hostname is c1f464d4c81e\n' },
    comment: '',
    parent: '8e0282af9ccc322b2e9a595baa84b6f0b6bdf7aab6476f2ed1b7c5f3e3e329fc',
  },
];
