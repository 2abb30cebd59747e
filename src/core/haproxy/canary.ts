import { findRouting, HaproxyConfigError, inheritedRoutingProblem, parseConfig, routingSections } from './config';

/** Whose requests a canary sends to STANDBY: a hash of the client's address, or of a cookie's or header's value. */
export type CanaryKey = { by: 'source' } | { by: 'cookie' | 'header'; name: string };

export interface Canary {
  /** 0-based line of the canary rule. */
  line: number;
  backend: string;
  percent: number;
  key: CanaryKey;
}

const MARK = '# bluegreen canary';

/** `source`, `cookie:NAME` or `header:NAME` as in bluegreen.yaml (loadBalancer.canaryBy). */
export function parseCanaryKey(text: string): CanaryKey {
  const m = /^(cookie|header):(.+)$/.exec(text);
  return m ? { by: m[1] as 'cookie' | 'header', name: m[2] } : { by: 'source' };
}

export function canaryKeyText(key: CanaryKey): string {
  return key.by === 'source' ? 'source' : `${key.by}:${key.name}`;
}

/** The HAProxy sample the hash is taken of. */
function sample(key: CanaryKey): string {
  return key.by === 'source' ? 'src' : key.by === 'cookie' ? `req.cook(${key.name})` : `req.hdr(${key.name})`;
}

/**
 * The rule: the same client always lands in the same bucket of 100 (a CRC32 of its key), and
 * buckets under `percent` go to STANDBY. A request without the cookie or header stays on LIVE.
 */
function ruleText(indent: string, backend: string, acl: string | undefined, key: CanaryKey, percent: number, app: string): string {
  const present = key.by === 'source' ? '' : `{ ${sample(key)} -m found } `;
  return `${indent}use_backend ${backend} if ${acl ? `${acl} ` : ''}${present}{ ${sample(key)},crc32(1),mod(100) lt ${percent} } ${MARK} ${app}`;
}

const SAMPLE = /^(src|req\.cook\([^)\s]+\)|req\.hdr\([^)\s]+\))$/;
const BUCKET = /^(src|req\.cook\([^)\s]+\)|req\.hdr\([^)\s]+\)),crc32\(1\),mod\(100\)$/;

function keyOf(fetch: string): CanaryKey {
  const m = /^req\.(cook|hdr)\((.+)\)$/.exec(fetch);
  return m ? { by: m[1] === 'cook' ? 'cookie' : 'header', name: m[2] } : { by: 'source' };
}

/**
 * The canary rule in HAProxy's words, as this tool writes it: `use_backend B if [ACL]
 * [{ S -m found }] { S,crc32(1),mod(100) lt N }` marked `# bluegreen canary APP`.
 */
function asCanary(w: string[], comment: string | undefined): { backend: string; acl?: string; percent: number; key: CanaryKey; app: string } | undefined {
  const mark = (comment ?? '').trim().split(/\s+/);
  if (mark.length !== 3 || mark[0] !== 'bluegreen' || mark[1] !== 'canary') return undefined;
  if (w[0] !== 'use_backend' || !w[1] || w[2] !== 'if') return undefined;
  const rest = w.slice(3);
  const acl = rest[0] !== '{' ? rest.shift() : undefined;
  const present = rest.length === 10 ? rest.splice(0, 5) : undefined;
  if (present && (present[0] !== '{' || !SAMPLE.test(present[1]) || present[2] !== '-m' || present[3] !== 'found' || present[4] !== '}')) return undefined;
  const bucket = rest.length === 5 && rest[0] === '{' && rest[2] === 'lt' && /^\d+$/.test(rest[3]) && rest[4] === '}' ? BUCKET.exec(rest[1]) : null;
  if (!bucket || (present && present[1] !== bucket[1]) || (!present && bucket[1] !== 'src')) return undefined;
  return { backend: w[1], ...(acl === undefined ? {} : { acl }), percent: Number(rest[3]), key: keyOf(bucket[1]), app: mark[2] };
}

/** This app's canary rule in its frontend, when there is one (only the exact rule this tool writes counts). */
export function findCanary(text: string, frontend: string, acl: string | undefined, app: string): Canary | undefined {
  const section = routingSections(text).find((s) => s.name === frontend);
  if (!section) return undefined;
  const { lines } = parseConfig(text);
  for (let i = section.start + 1; i < section.end; i++) {
    const rule = asCanary(lines[i].tokens.map((t) => t.text), lines[i].comment);
    if (!rule || rule.app !== app || rule.acl !== acl) continue;
    return { line: i, backend: rule.backend, percent: rule.percent, key: rule.key };
  }
  return undefined;
}

/** The config with this app's canary rule removed (every other byte as it was). */
export function withoutCanary(text: string, frontend: string, acl: string | undefined, app: string): string {
  const canary = findCanary(text, frontend, acl, app);
  if (!canary) return text;
  const lines = text.split('\n');
  lines.splice(canary.line, 1);
  return lines.join('\n');
}

/**
 * The config with this app's canary rule set to send `percent` of its clients to `backend`:
 * one line just before the app's routing line, with its indentation (a `use_backend` is
 * evaluated before a `default_backend`, and before the app's own rule in a shared frontend).
 */
export function withCanary(text: string, frontend: string, acl: string | undefined, app: string, backend: string, key: CanaryKey, percent: number): string {
  if (!Number.isInteger(percent) || percent < 1 || percent > 99) throw new HaproxyConfigError(`a canary sends 1 to 99 percent of the clients to STANDBY, not ${percent}`);
  const base = withoutCanary(text, frontend, acl, app);
  const routing = findRouting(base, frontend, acl);
  if (routing.inheritedFrom !== undefined) throw new HaproxyConfigError(inheritedRoutingProblem(frontend, routing));
  const lines = base.split('\n');
  const own = lines[routing.line];
  const indent = /^\s*/.exec(own)![0];
  const crlf = own.endsWith('\r') ? '\r' : '';
  lines.splice(routing.line, 0, ruleText(indent, backend, acl, key, percent, app) + crlf);
  return lines.join('\n');
}
