// Hand-written: no npm package parses haproxy.cfg faithfully enough to rewrite one line and
// leave every other byte as it was, which a switch requires.

const SECTION_KEYWORDS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'userlist', 'peers', 'resolvers', 'program', 'http-errors', 'ring', 'cache', 'mailers', 'crt-store', 'traces']);

export interface Section {
  keyword: string;
  name: string;
  /** 0-based index of the section's header line. */
  start: number;
  /** 0-based index one past its last line. */
  end: number;
}

export interface Routing {
  shape: 'default_backend' | 'use_backend';
  backend: string;
  /** 0-based line of the rule in the file. */
  line: number;
}

export class HaproxyConfigError extends Error {}

function words(line: string): string[] {
  return line.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean);
}

export function sections(text: string): Section[] {
  const lines = text.split('\n');
  const found: Section[] = [];
  lines.forEach((line, i) => {
    if (/^\s/.test(line)) return;
    const [keyword, name = ''] = words(line);
    if (!keyword || !SECTION_KEYWORDS.has(keyword)) return;
    if (found.length) found[found.length - 1].end = i;
    found.push({ keyword, name, start: i, end: lines.length });
  });
  return found;
}

function frontendSection(text: string, frontend: string): Section {
  const section = sections(text).find((s) => (s.keyword === 'frontend' || s.keyword === 'listen') && s.name === frontend);
  if (!section) throw new HaproxyConfigError(`frontend "${frontend}" is not defined in the HAProxy config`);
  return section;
}

/**
 * Which backend the app's traffic goes to: the frontend's `default_backend`, or, in a
 * frontend shared by several apps, the `use_backend <b> if <acl>` rule for this app.
 */
export function findRouting(text: string, frontend: string, acl?: string): Routing {
  const section = frontendSection(text, frontend);
  const lines = text.split('\n');
  const matches: Routing[] = [];
  for (let i = section.start + 1; i < section.end; i++) {
    const w = words(lines[i]);
    if (!acl && w[0] === 'default_backend' && w[1]) matches.push({ shape: 'default_backend', backend: w[1], line: i });
    if (acl && w[0] === 'use_backend' && w[1] && w[2] === 'if' && w[3] === acl && w.length === 4) matches.push({ shape: 'use_backend', backend: w[1], line: i });
  }
  if (!matches.length) {
    throw new HaproxyConfigError(acl ? `frontend "${frontend}" has no "use_backend <backend> if ${acl}" rule` : `frontend "${frontend}" has no default_backend`);
  }
  if (matches.length > 1) {
    throw new HaproxyConfigError(`frontend "${frontend}" has ${matches.length} ${acl ? `"use_backend … if ${acl}" rules` : 'default_backend lines'} (lines ${matches.map((m) => m.line + 1).join(', ')}); keep exactly one`);
  }
  return matches[0];
}

/** The config with only the app's routing line pointing at `backend`; every other byte kept. */
export function withRouting(text: string, frontend: string, acl: string | undefined, backend: string): string {
  const routing = findRouting(text, frontend, acl);
  const lines = text.split('\n');
  const line = lines[routing.line];
  const keyword = routing.shape;
  const at = line.indexOf(keyword) + keyword.length;
  const rest = line.slice(at);
  const replaced = rest.replace(/^(\s+)\S+/, `$1${backend}`);
  lines[routing.line] = line.slice(0, at) + replaced;
  return lines.join('\n');
}

export function backendExists(text: string, backend: string): boolean {
  return sections(text).some((s) => (s.keyword === 'backend' || s.keyword === 'listen') && s.name === backend);
}

/**
 * Whether `option idle-close-on-response` applies to the frontend (set in it, or in the
 * defaults section it inherits and not negated there): without it a reload resets idle
 * keep-alive connections.
 */
export function hasIdleCloseOnResponse(text: string, frontend: string): boolean {
  const all = sections(text);
  const lines = text.split('\n');
  const setting = (s: Section): boolean | undefined => {
    let value: boolean | undefined;
    for (let i = s.start + 1; i < s.end; i++) {
      const w = words(lines[i]);
      if (w[0] === 'option' && w[1] === 'idle-close-on-response') value = true;
      if (w[0] === 'no' && w[1] === 'option' && w[2] === 'idle-close-on-response') value = false;
    }
    return value;
  };
  const front = frontendSection(text, frontend);
  const own = setting(front);
  if (own !== undefined) return own;
  const defaults = all.filter((s) => s.keyword === 'defaults' && s.start < front.start).pop();
  return defaults ? setting(defaults) ?? false : false;
}
