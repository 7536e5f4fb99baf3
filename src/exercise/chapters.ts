/**
 * The course's chapter topics (../shared/DESIGN.md, "The course"), in course order. An
 * exercise names one of these as its `chapter`; the progress page groups by them.
 */
export const CHAPTERS = [
  { id: 'archetypes', title: 'The four container archetypes' },
  { id: 'default-bridge', title: 'The default bridge, docker0 and veth pairs' },
  { id: 'legacy-links', title: 'Legacy links' },
  { id: 'user-defined-networks', title: 'User-defined bridges, IPAM and embedded DNS' },
  { id: 'isolation', title: 'Isolation and its iptables rules' },
  { id: 'publishing-ports', title: 'Publishing ports' },
  { id: 'host-mode', title: 'Host mode' },
  { id: 'none-mode', title: 'None mode' },
  { id: 'container-mode', title: 'Container mode' },
  { id: 'name-resolution', title: 'Name resolution options' },
  { id: 'daemon-options', title: 'Daemon options' },
  { id: 'flask-redis', title: 'The flask + redis app' },
  { id: 'multi-host-routes', title: 'Multi-host with static routes' },
  { id: 'multi-host-overlay', title: 'Multi-host with overlay / VXLAN' },
] as const;

export type ChapterId = (typeof CHAPTERS)[number]['id'];

export const CHAPTER_IDS: readonly string[] = CHAPTERS.map((c) => c.id);
