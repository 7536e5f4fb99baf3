/**
 * The files Docker writes for a container: /etc/hosts (libnetwork etchosts/etchosts.go,
 * sandbox_dns_unix.go buildHostsFile/updateHostsFile), /etc/resolv.conf (resolvconf/resolvconf.go
 * FilterResolvDNS / Build, sandbox_dns_unix.go setupDNS/rebuildDNS) and /etc/hostname.
 */

export interface HostsRecord {
  ip: string;
  names: string;
}

/** The six base lines of etchosts.go, in order. */
export const HOSTS_BASE: HostsRecord[] = [
  { ip: '127.0.0.1', names: 'localhost' },
  { ip: '::1', names: 'localhost ip6-localhost ip6-loopback' },
  { ip: 'fe00::0', names: 'ip6-localnet' },
  { ip: 'ff00::0', names: 'ip6-mcastprefix' },
  { ip: 'ff02::1', names: 'ip6-allnodes' },
  { ip: 'ff02::2', names: 'ip6-allrouters' },
];

export const formatHosts = (records: HostsRecord[]): string => records.map((r) => `${r.ip}\t${r.names}\n`).join('');

/** etchosts.Build: the base records, then the extra records (add-hosts, then links). */
export function buildHosts(extra: HostsRecord[]): string {
  return formatHosts([...HOSTS_BASE, ...extra]);
}

/** The own line of a container: `IP\tfqdn shortname` when the hostname has a dot, `IP\thostname` otherwise. */
export function ownHostsRecord(ip: string, hostname: string, domainname: string): HostsRecord {
  const fqdn = domainname ? `${hostname}.${domainname}` : hostname;
  const short = fqdn.split('.')[0];
  return { ip, names: fqdn.includes('.') ? `${fqdn} ${short}` : fqdn };
}

/**
 * etchosts.Update for a child's restart: every line holding `\t<alias>` followed by a blank or a
 * dot gets the new IP (the first field is replaced).
 */
export function updateHostsIp(content: string, alias: string, ip: string): string {
  const re = new RegExp(`^[^\\t]*(\\t${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[\\s.]|$).*)$`);
  return content
    .split('\n')
    .map((line) => {
      const m = re.exec(line);
      return m ? `${ip}${m[1]}` : line;
    })
    .join('\n');
}

/** etchosts.Delete: drops the lines whose names equal one of `names` for `ip`. */
export function deleteHostsEntries(content: string, recs: HostsRecord[]): string {
  const drop = new Set(recs.map((r) => `${r.ip}\t${r.names}`));
  return content
    .split('\n')
    .filter((l) => !drop.has(l))
    .join('\n');
}

export interface ResolvParts {
  nameservers: string[];
  search: string[];
  options: string[];
}

const isLocalhostNs = (ns: string): boolean => /^127\./.test(ns) || ns === '::1';

export function parseResolv(text: string): ResolvParts {
  const out: ResolvParts = { nameservers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const [k, ...rest] = line.split(/\s+/);
    if (k === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (k === 'search') out.search = rest;
    else if (k === 'domain') out.search = rest.slice(0, 1);
    else if (k === 'options') out.options.push(...rest);
  }
  return out;
}

/**
 * FilterResolvDNS: the host file with loopback (and, without IPv6, IPv6) nameserver lines
 * removed; when no nameserver is left, Google's are appended (no trailing newline).
 */
export function filterResolv(host: string, ipv6 = false): string {
  const lines = host.split('\n');
  const kept = lines.filter((l) => {
    const m = /^\s*nameserver\s+(\S+)/.exec(l);
    if (!m) return true;
    if (isLocalhostNs(m[1])) return false;
    if (!ipv6 && m[1].includes(':')) return false;
    return true;
  });
  let out = kept.join('\n');
  if (!parseResolv(out).nameservers.length) {
    out += '\nnameserver 8.8.8.8\nnameserver 8.8.4.4';
    if (ipv6) out += '\nnameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844';
  }
  return out;
}

/** resolvconf.Build: search, nameservers, options, from scratch. */
export function buildResolv(p: ResolvParts): string {
  let out = '';
  const search = p.search.filter((s) => s !== '.');
  if (search.length) out += `search ${search.join(' ')}\n`;
  for (const ns of p.nameservers) out += `nameserver ${ns}\n`;
  if (p.options.length) out += `options ${p.options.join(' ')}\n`;
  return out;
}

/**
 * rebuildDNS for a sandbox with the embedded resolver: the current search list,
 * `nameserver 127.0.0.11`, and the options with `ndots:0` unless an ndots option is present.
 */
export function embeddedResolv(current: string): { text: string; upstream: string[] } {
  const p = parseResolv(current);
  const options = p.options.slice();
  if (!options.some((o) => o.startsWith('ndots:'))) options.push('ndots:0');
  return {
    text: buildResolv({ search: p.search, nameservers: ['127.0.0.11'], options }),
    upstream: p.nameservers.filter((n) => !n.includes(':')),
  };
}
