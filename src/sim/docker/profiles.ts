/**
 * The two machine profiles: the course's (realistic Docker Hub images, upstream paths) and
 * `golden`, the machine the golden transcripts were recorded on (stand-in images, Debian's
 * docker.io paths, the rootfs tarballs in /root that scenario 00 imports).
 */
import type { DockerProfile } from './env.ts';
import { DEFAULT_IMAGES } from './images/catalog.ts';
import { GOLDEN_IMAGES } from './images/golden.ts';
import type { ImageData } from './images/types.ts';

export const DEFAULT_PROFILE: DockerProfile = {
  name: 'default',
  images: DEFAULT_IMAGES,
  registry: DEFAULT_IMAGES,
  proxyPath: '/usr/bin/docker-proxy',
  dockerdCmdline: '/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock',
};

const golden = (repo: string): ImageData => GOLDEN_IMAGES.find((i) => i.repo === repo) as ImageData;

export const GOLDEN_PROFILE: DockerProfile = {
  name: 'golden',
  images: GOLDEN_IMAGES,
  registry: [],
  proxyPath: '/usr/sbin/docker-proxy',
  dockerdCmdline: '/usr/sbin/dockerd',
  rootfsTarballs: {
    '/root/busybox-rootfs.tar': { ...golden('busybox'), cmd: null },
    '/root/glibc-rootfs.tar': { ...golden('centos'), cmd: null },
  },
};
