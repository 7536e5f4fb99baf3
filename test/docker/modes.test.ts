import { describe, expect, it } from 'vitest';
import { dockerHost } from './harness.ts';
import { DockerApi } from '../../src/sim/docker/api.ts';

describe('container mode lifecycle (golden 08)', () => {
  it('the joined container keeps the old namespace when the owner stops, follows it after its own restart', () => {
    const { engine } = dockerHost();
    const api = new DockerApi(engine);
    const owner = engine.createContainer({ name: 'tomcat_app1', image: 'tomcat' });
    engine.startContainer(owner.id);
    const j = engine.createContainer({ name: 'container_docker', image: 'nginx', networkMode: 'container:tomcat_app1' });
    engine.startContainer(j.id);
    expect(j.hostConfig.NetworkMode).toBe(`container:${owner.id}`);
    const ns = engine.runtime(j).netns;
    expect(ns.sortedLinks().map((l) => l.name)).toEqual(['lo', 'eth0']);
    const settings = (api.containerInspect('container_docker') as { NetworkSettings: Record<string, unknown> }).NetworkSettings;
    expect(settings.SandboxID).toBe('');
    expect(settings.SandboxKey).toBe('');
    expect([...(settings.Networks as Map<string, unknown>).keys()]).toEqual([]);
    engine.stopContainer('tomcat_app1');
    expect(engine.runtime(j).netns).toBe(ns);
    expect(ns.sortedLinks().map((l) => l.name)).toEqual(['lo']);
    engine.startContainer('tomcat_app1');
    expect(engine.runtime(j).netns.sortedLinks().map((l) => l.name)).toEqual(['lo']);
    engine.restartContainer('container_docker');
    expect(engine.runtime(j).netns).toBe(engine.runtime(owner).netns);
    expect(engine.runtime(j).netns.sortedLinks().map((l) => l.name)).toEqual(['lo', 'eth0']);
    engine.removeContainer('tomcat_app1', { force: true });
    expect(engine.runtime(j).netns.sortedLinks().map((l) => l.name)).toEqual(['lo']);
    engine.stopContainer('container_docker');
    expect(() => engine.startContainer('container_docker')).toThrow(`No such container: ${owner.id}`);
    const stopped = engine.createContainer({ name: 'stopped', image: 'busybox' });
    const k = engine.createContainer({ image: 'busybox', networkMode: 'container:stopped' });
    expect(() => engine.startContainer(k.id)).toThrow(`cannot join network of a non running container: ${stopped.id}`);
  });

  it('host mode: hostname from the host, connect errors, the publish warning', () => {
    const { engine } = dockerHost();
    const api = new DockerApi(engine);
    const r = api.containerCreate({
      name: 'nginx', image: 'nginx', hostname: '', domainname: '', user: '', env: [], cmd: null, entrypoint: null, workingDir: '', exposedPorts: ['80/tcp'], labels: {},
      tty: true, openStdin: true, macAddress: '', networkMode: 'host', portBindings: new Map([['80/tcp', [{ HostIp: '', HostPort: '80' }]]]), publishAllPorts: false,
      links: [], dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [], restartPolicy: { Name: '', MaximumRetryCount: 0 }, autoRemove: false, endpoint: null,
    });
    expect(r.warnings).toEqual(['Published ports are discarded when using host network mode']);
    api.containerStart('nginx');
    expect((api.containerInspect('nginx') as { Config: { Hostname: string } }).Config.Hostname).toBe('docker-node1');
    expect(() => engine.connect('bridge', 'nginx')).toThrow('container sharing network namespace with another container or host cannot be connected to any other network');
    expect(() => engine.disconnect('host', 'nginx')).toThrow('container cannot be disconnected from host network or connected to host network');
    engine.createContainer({ name: 'b1', image: 'busybox' });
    engine.startContainer('b1');
    expect(() => engine.connect('host', 'b1')).toThrow('container cannot be disconnected from host network or connected to host network');
    expect(() => engine.createNetwork({ name: 'myhost', driver: 'host' })).toThrow('only one instance of "host" network is allowed');
  });
});
