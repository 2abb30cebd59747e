import { parseConfig, Section } from './config';

/** One server of a proposed slot, as its backend's `server` line names it. */
export interface ProposedServer {
  name: string;
  /** The address HAProxy sends to: a host name or an IP. */
  address: string;
  port?: number;
}

/** An app read from a load balancer's haproxy.cfg: its routing rule and the pair of backends that look like two slots. */
export interface ProposedApp {
  name: string;
  frontend: string;
  /** In a shared frontend: the ACL of the app's `use_backend … if ACL` rule. */
  acl?: string;
  backends: { blue: string; green: string };
  /** The slot the rule routes to now. */
  live: 'blue' | 'green';
  servers: { blue: ProposedServer[]; green: ProposedServer[] };
  /** How the pair was told: "names ending blue/green", "two backends with one server each". */
  pairedBy: string;
  /** The path HAProxy's own health check asks for on the LIVE backend (`option httpchk`, `http-check send … uri`). */
  healthPath?: string;
}

export interface Proposals {
  apps: ProposedApp[];
  /** A routed backend no pair was found for, and why: said, not guessed. */
  unpaired: string[];
  /** The `stats socket` of the global section: HAProxy's runtime view of its servers. */
  statsSocket?: string;
}

/** Backend name endings that mark one of two slots, and which slot each is. */
const SLOT_ENDINGS: { pattern: RegExp; slots: [string, string]; words: string }[] = [
  { pattern: /^(.*?)([_.-]?)(blue|green)$/i, slots: ['blue', 'green'], words: 'blue/green' },
  { pattern: /^(.*?)([_.-]?)(a|b)$/i, slots: ['a', 'b'], words: 'a/b' },
  { pattern: /^(.*?)([_.-]?)(1|2)$/, slots: ['1', '2'], words: '1/2' },
];

/**
 * The apps a haproxy.cfg describes: each routing rule — a frontend's `default_backend`, or a
 * `use_backend B if ACL` of a shared frontend — whose backend has a partner that looks like the
 * other slot: the same name ending in blue/green, a/b or 1/2, or, failing that, the one other
 * backend nothing routes to when both have one server each. Pure: the caller reads the file.
 */
export function proposeApps(haproxyText: string): Proposals {
  const { lines, sections } = parseConfig(haproxyText);
  const words = (i: number) => lines[i].tokens.map((t) => t.text);
  const backends = new Map<string, Section>(sections.filter((s) => s.keyword === 'backend' && !s.nameEnv).map((s) => [s.name, s]));
  const serversOf = (backend: string): ProposedServer[] => {
    const s = backends.get(backend)!;
    const found: ProposedServer[] = [];
    for (let i = s.start + 1; i < s.end; i++) {
      const [keyword, name, target] = words(i);
      if (keyword !== 'server' || !name || !target) continue;
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target);
      if (m) found.push({ name, address: m[1].replace(/^\[|\]$/g, ''), ...(m[2] ? { port: Number(m[2]) } : {}) });
    }
    return found;
  };

  const rules: { frontend: string; acl?: string; backend: string }[] = [];
  for (const f of sections.filter((s) => s.keyword === 'frontend' && !s.nameEnv)) {
    for (let i = f.start + 1; i < f.end; i++) {
      const w = words(i);
      if (w[0] === 'default_backend' && w.length === 2) rules.push({ frontend: f.name, backend: w[1] });
      if (w[0] === 'use_backend' && w.length === 4 && w[2] === 'if') rules.push({ frontend: f.name, acl: w[3], backend: w[1] });
    }
  }
  const routed = new Set(rules.map((r) => r.backend));

  const apps: ProposedApp[] = [];
  const unpaired: string[] = [];
  for (const rule of rules) {
    if (!backends.has(rule.backend)) continue;
    const pair = byName(rule.backend, backends) ?? byShape(rule.backend, backends, routed, serversOf);
    const where = `${rule.frontend}${rule.acl ? ` if ${rule.acl}` : ''} → ${rule.backend}`;
    if (!pair) {
      unpaired.push(`${where}: no other backend looks like its second slot (a name ending blue/green, a/b or 1/2)`);
      continue;
    }
    apps.push({
      name: appName(rule, apps),
      frontend: rule.frontend,
      ...(rule.acl ? { acl: rule.acl } : {}),
      backends: { blue: pair.blue, green: pair.green },
      live: pair.blue === rule.backend ? 'blue' : 'green',
      servers: { blue: serversOf(pair.blue), green: serversOf(pair.green) },
      pairedBy: pair.by,
      ...optional('healthPath', healthPathOf(backends.get(rule.backend)!, words)),
    });
  }
  return { apps, unpaired, ...optional('statsSocket', statsSocketOf(sections, words)) };
}

function optional<K extends string>(key: K, value: string | undefined): { [k in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: string };
}

/** `option httpchk [METHOD] URI [VERSION]`, or `http-check send … uri URI`; a path only. */
function healthPathOf(backend: Section, words: (i: number) => string[]): string | undefined {
  for (let i = backend.start + 1; i < backend.end; i++) {
    const w = words(i);
    let uri: string | undefined;
    if (w[0] === 'option' && w[1] === 'httpchk') uri = w.length === 3 ? w[2] : w[3];
    if (w[0] === 'http-check' && w[1] === 'send') uri = w[w.indexOf('uri') + 1];
    if (uri && /^\/[\x21-\x7e]*$/.test(uri)) return uri;
  }
  return undefined;
}

function statsSocketOf(sections: readonly Section[], words: (i: number) => string[]): string | undefined {
  for (const g of sections.filter((s) => s.keyword === 'global')) {
    for (let i = g.start + 1; i < g.end; i++) {
      const [keyword, what, socket] = words(i);
      if (keyword === 'stats' && what === 'socket' && socket?.startsWith('/')) return socket;
    }
  }
  return undefined;
}

function byName(backend: string, backends: ReadonlyMap<string, Section>): { blue: string; green: string; by: string } | undefined {
  for (const ending of SLOT_ENDINGS) {
    const m = ending.pattern.exec(backend);
    if (!m || !m[1]) continue;
    const [, base, separator, slot] = m;
    const lower = slot.toLowerCase();
    const other = ending.slots.find((s) => s !== lower)!;
    // The partner is written in the same case as this one's ending: demo_BLUE with demo_GREEN.
    const partner = `${base}${separator}${slot === slot.toUpperCase() && /[a-z]/i.test(slot) ? other.toUpperCase() : other}`;
    if (!backends.has(partner)) continue;
    const first = lower === ending.slots[0];
    return { blue: first ? backend : partner, green: first ? partner : backend, by: `names ending ${ending.words}` };
  }
  return undefined;
}

/** Two backends of one server each, the other one routed by nothing: the only shape left to read. */
function byShape(backend: string, backends: ReadonlyMap<string, Section>, routed: ReadonlySet<string>, serversOf: (b: string) => ProposedServer[]): { blue: string; green: string; by: string } | undefined {
  if (serversOf(backend).length !== 1) return undefined;
  const others = [...backends.keys()].filter((b) => b !== backend && !routed.has(b) && serversOf(b).length === 1);
  return others.length === 1 ? { blue: backend, green: others[0], by: 'two backends with one server each' } : undefined;
}

/** The app's name: its ACL's (is_shop → shop) or its frontend's, lower-cased; a second app of that name gets its frontend's added. */
function appName(rule: { frontend: string; acl?: string }, taken: readonly ProposedApp[]): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '') || 'app';
  const base = clean(rule.acl ? rule.acl.replace(/^(is|host|acl|app)[_-]/i, '') : rule.frontend);
  const name = taken.some((a) => a.name === base) ? `${base}-${clean(rule.frontend)}` : base;
  return name.length > 40 ? name.slice(0, 40).replace(/-+$/, '') : name;
}
