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
  /** The `default_backend` comes from this defaults section (its name, or "" when unnamed), not the frontend. */
  inheritedFrom?: string;
}

const CONDITIONAL = new Set(['.if', '.elif', '.else', '.endif']);

export class HaproxyConfigError extends Error {}

export function words(line: string): string[] {
  return line.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean);
}

/** The last few configs' sections: a refresh reads one LB's config for each of its apps, several times each. */
const SECTIONS_KEPT = 4;
const sectionsOf = new Map<string, readonly Readonly<Section>[]>();

export function sections(text: string): readonly Readonly<Section>[] {
  let found = sectionsOf.get(text);
  if (!found) {
    found = Object.freeze(findSections(text).map((s) => Object.freeze(s)));
    if (sectionsOf.size >= SECTIONS_KEPT) sectionsOf.delete(sectionsOf.keys().next().value!);
    sectionsOf.set(text, found);
  }
  return found;
}

function findSections(text: string): Section[] {
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
  const all = sections(text).filter((s) => (s.keyword === 'frontend' || s.keyword === 'listen') && s.name === frontend);
  if (!all.length) throw new HaproxyConfigError(`frontend "${frontend}" is not defined in the HAProxy config`);
  if (all.length > 1) throw new HaproxyConfigError(`frontend "${frontend}" is declared ${all.length} times (lines ${all.map((s) => s.start + 1).join(', ')}); Blue-Green will not guess which routing HAProxy uses: keep one`);
  refuseConditionals(text, all[0]);
  return all[0];
}

/**
 * HAProxy's `.if/.elif/.else/.endif` blocks decide at startup which lines exist, from the
 * running version and the environment of the HAProxy process, which cannot be known from
 * here with certainty: a frontend inside or containing one is refused, not guessed.
 */
function refuseConditionals(text: string, section: Section): void {
  const lines = text.split('\n');
  const refuse = (where: string) => new HaproxyConfigError(`frontend "${section.name}" ${where}; Blue-Green does not evaluate HAProxy's conditions, so it cannot tell what HAProxy routes: move the frontend out of .if/.endif blocks`);
  const open: number[] = [];
  for (let i = 0; i < section.end; i++) {
    const directive = words(lines[i])[0] ?? '';
    if (i === section.start && open.length) throw refuse(`is inside the conditional block opened at line ${open[0] + 1}`);
    if (i > section.start && CONDITIONAL.has(directive)) throw refuse(`has a conditional block (${directive} at line ${i + 1})`);
    if (directive === '.if') open.push(i);
    if (directive === '.endif') open.pop();
  }
}

/** The section a frontend takes its defaults from: the one named by `from`, else the last `defaults` before it. */
function defaultsOf(text: string, front: Section): Section | undefined {
  const all = sections(text);
  const from = words(text.split('\n')[front.start]);
  const named = from[2] === 'from' ? from[3] : undefined;
  const candidates = all.filter((s) => s.keyword === 'defaults' && s.start < front.start && (named === undefined || s.name === named));
  return candidates.pop();
}

/**
 * Which backend the app's traffic goes to: the frontend's `default_backend` (or the one
 * it inherits from its defaults section), or, in a frontend shared by several apps, the
 * `use_backend <b> if <acl>` rule for this app.
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
  if (!matches.length && !acl) {
    const defaults = defaultsOf(text, section);
    for (let i = defaults ? defaults.start + 1 : 0; defaults && i < defaults.end; i++) {
      const w = words(lines[i]);
      if (w[0] === 'default_backend' && w[1]) matches.push({ shape: 'default_backend', backend: w[1], line: i, inheritedFrom: defaults.name });
    }
  }
  if (!matches.length) {
    throw new HaproxyConfigError(acl ? `frontend "${frontend}" has no "use_backend <backend> if ${acl}" rule` : `frontend "${frontend}" has no default_backend`);
  }
  if (matches.length > 1) {
    throw new HaproxyConfigError(`frontend "${frontend}" has ${matches.length} ${acl ? `"use_backend … if ${acl}" rules` : 'default_backend lines'} (lines ${matches.map((m) => m.line + 1).join(', ')}); keep exactly one`);
  }
  return matches[0];
}

/** Why a `default_backend` inherited from a defaults section is not switched. */
export function inheritedRoutingProblem(frontend: string, routing: Routing): string {
  return `frontend "${frontend}" takes its default_backend from the defaults section${routing.inheritedFrom ? ` "${routing.inheritedFrom}"` : ''} (line ${routing.line + 1}), which other frontends may share; add "default_backend ${routing.backend}" to frontend "${frontend}" so a switch changes only this app`;
}

/** The config with only the app's routing line pointing at `backend`; every other byte kept. */
export function withRouting(text: string, frontend: string, acl: string | undefined, backend: string): string {
  const routing = findRouting(text, frontend, acl);
  if (routing.inheritedFrom !== undefined) throw new HaproxyConfigError(inheritedRoutingProblem(frontend, routing));
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
 * defaults section it inherits, and not negated after): without it a reload resets idle
 * keep-alive connections. `line`: the 0-based line that decides it.
 */
export function idleCloseSetting(text: string, frontend: string): { value: 'on' | 'off' | 'unset'; line?: number } {
  const lines = text.split('\n');
  const last = (s: Section) => {
    let found: { value: 'on' | 'off'; line: number } | undefined;
    for (let i = s.start + 1; i < s.end; i++) {
      const w = words(lines[i]);
      if (w[0] === 'option' && w[1] === 'idle-close-on-response') found = { value: 'on', line: i };
      if (w[0] === 'no' && w[1] === 'option' && w[2] === 'idle-close-on-response') found = { value: 'off', line: i };
    }
    return found;
  };
  const front = frontendSection(text, frontend);
  const defaults = defaultsOf(text, front);
  return last(front) ?? (defaults && last(defaults)) ?? { value: 'unset' };
}

export function hasIdleCloseOnResponse(text: string, frontend: string): boolean {
  return idleCloseSetting(text, frontend).value === 'on';
}
