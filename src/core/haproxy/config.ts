// Hand-written: no npm package parses haproxy.cfg faithfully enough to rewrite one line and
// leave every other byte as it was, which a switch requires.

import { Token, tokenize, TokenLine } from './tokens';

/** HAProxy's section keywords: a line whose first word is one starts a section, however indented. */
const SECTION_KEYWORDS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'userlist', 'peers', 'resolvers', 'program', 'http-errors', 'ring', 'cache', 'mailers', 'crt-store', 'traces', 'log-forward', 'namespace_list', 'acme']);

export interface Section {
  keyword: string;
  name: string;
  /** The name holds an environment variable, so the name HAProxy uses is not known here. */
  nameEnv: boolean;
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

/** A config split into lines, each line into HAProxy's words, and the lines into sections. */
export interface ParsedConfig {
  raw: readonly string[];
  lines: readonly TokenLine[];
  sections: readonly Readonly<Section>[];
}

/** The last few configs parsed: a refresh reads one LB's config for each of its apps, several times each. */
const KEPT = 4;
const parsedConfigs = new Map<string, ParsedConfig>();

export function parseConfig(text: string): ParsedConfig {
  let found = parsedConfigs.get(text);
  if (!found) {
    const raw = text.split('\n');
    const lines = raw.map(tokenize);
    found = Object.freeze({ raw, lines, sections: Object.freeze(findSections(lines).map((s) => Object.freeze(s))) });
    if (parsedConfigs.size >= KEPT) parsedConfigs.delete(parsedConfigs.keys().next().value!);
    parsedConfigs.set(text, found);
  }
  return found;
}

export function sections(text: string): readonly Readonly<Section>[] {
  return parseConfig(text).sections;
}

/** The words HAProxy reads on a line of the config. */
export function lineWords(text: string, line: number): string[] {
  return (parseConfig(text).lines[line]?.tokens ?? []).map((t) => t.text);
}

function findSections(lines: readonly TokenLine[]): Section[] {
  const found: Section[] = [];
  lines.forEach(({ tokens: [keyword, name] }, i) => {
    if (!keyword || !SECTION_KEYWORDS.has(keyword.text)) return;
    if (found.length) found[found.length - 1].end = i;
    found.push({ keyword: keyword.text, name: name?.text ?? '', nameEnv: name?.env ?? false, start: i, end: lines.length });
  });
  return found;
}

/** Sections that take connections and route them: every frontend and listen section. */
export function routingSections(text: string): readonly Readonly<Section>[] {
  return sections(text).filter((s) => s.keyword === 'frontend' || s.keyword === 'listen');
}

export function frontendSection(text: string, frontend: string): Section {
  const all = routingSections(text).filter((s) => s.name === frontend);
  const unknown = routingSections(text).find((s) => s.nameEnv);
  if (!all.length && unknown) throw new HaproxyConfigError(`frontend "${frontend}" is not in the HAProxy config, unless it is the ${unknown.keyword} at line ${unknown.start + 1}, named by an environment variable (${unknown.name}) whose value Blue-Green cannot know: write its name`);
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
  const refuse = (where: string) => new HaproxyConfigError(`frontend "${section.name}" ${where}; Blue-Green does not evaluate HAProxy's conditions, so it cannot tell what HAProxy routes: move the frontend out of .if/.endif blocks`);
  const open: number[] = [];
  for (let i = 0; i < section.end; i++) {
    const directive = lineWords(text, i)[0] ?? '';
    if (i === section.start && open.length) throw refuse(`is inside the conditional block opened at line ${open[0] + 1}`);
    if (i > section.start && CONDITIONAL.has(directive)) throw refuse(`has a conditional block (${directive} at line ${i + 1})`);
    if (directive === '.if') open.push(i);
    if (directive === '.endif') open.pop();
  }
}

/**
 * A section header inside `.if`/`.endif` decides, by a condition HAProxy evaluates at startup,
 * whether a section exists. That is refused, not guessed, where it decides what is routed: a
 * `defaults` section (every proxy after it takes its settings), and any section followed, after
 * the block, by settings that belong to it or to the section before depending on the condition.
 */
function refuseConditionalSections(text: string): void {
  const { lines } = parseConfig(text);
  const open: { line: number; header?: number }[] = [];
  let closedAround: { block: number; header: number } | undefined;
  const refuse = (header: number, block: number, why: string) => {
    const keyword = lines[header].tokens[0].text;
    return new HaproxyConfigError(`the ${keyword} section at line ${header + 1} is inside the conditional block opened at line ${block + 1}, so ${why}; Blue-Green does not evaluate HAProxy's conditions: move the section out of .if/.endif blocks`);
  };
  for (const [i, { tokens }] of lines.entries()) {
    const first = tokens[0]?.text;
    if (first === undefined) continue;
    if (closedAround && !first.startsWith('.') && !SECTION_KEYWORDS.has(first)) throw refuse(closedAround.header, closedAround.block, `line ${i + 1} after it belongs to one section or another depending on it`);
    closedAround = undefined;
    if (first === '.if') open.push({ line: i });
    else if (first === '.endif') {
      const block = open.pop();
      if (block?.header !== undefined) closedAround = { block: block.line, header: block.header };
    } else if (open.length && SECTION_KEYWORDS.has(first)) {
      if (first === 'defaults') throw refuse(i, open[open.length - 1].line, 'which settings the sections after it take depends on it');
      for (const block of open) block.header ??= i;
    }
  }
}

/**
 * The `default_backend` a section inherits: from its defaults section, or, when that one sets
 * none, from the one it names with `from`, and so on up the chain.
 */
export function inheritedDefaultBackend(text: string, section: Section): { from: Section; lines: number[] } | undefined {
  const { lines } = parseConfig(text);
  const seen = new Set<number>();
  // A defaults section without `from` starts afresh (HAProxy resets every setting there).
  const parentOf = (d: Section) => (lineWords(text, d.start)[2] === 'from' ? defaultsOf(text, d) : undefined);
  for (let d = defaultsOf(text, section); d && !seen.has(d.start); d = parentOf(d)) {
    seen.add(d.start);
    const found: number[] = [];
    for (let i = d.start + 1; i < d.end; i++) if (lines[i].tokens[0]?.text === 'default_backend' && lines[i].tokens[1]) found.push(i);
    if (found.length) return { from: d, lines: found };
  }
  return undefined;
}

/** The section a frontend takes its defaults from: the one named by `from`, else the last `defaults` before it. */
function defaultsOf(text: string, front: Section): Section | undefined {
  const all = sections(text);
  const from = lineWords(text, front.start);
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
  refuseConditionalSections(text);
  const { lines } = parseConfig(text);
  const matches: (Routing & { token: Token })[] = [];
  for (let i = section.start + 1; i < section.end; i++) {
    const t = lines[i].tokens;
    const w = t.map((x) => x.text);
    if (!acl && w[0] === 'default_backend' && t[1]) matches.push({ shape: 'default_backend', backend: t[1].text, line: i, token: t[1] });
    if (acl && w[0] === 'use_backend' && t[1] && w[2] === 'if' && w[3] === acl && t.length === 4) matches.push({ shape: 'use_backend', backend: t[1].text, line: i, token: t[1] });
  }
  if (!matches.length && !acl) {
    const inherited = inheritedDefaultBackend(text, section);
    for (const i of inherited?.lines ?? []) matches.push({ shape: 'default_backend', backend: lines[i].tokens[1].text, line: i, inheritedFrom: inherited!.from.name, token: lines[i].tokens[1] });
  }
  if (!matches.length) {
    throw new HaproxyConfigError(acl ? `frontend "${frontend}" has no "use_backend <backend> if ${acl}" rule` : `frontend "${frontend}" has no default_backend`);
  }
  if (matches.length > 1) {
    throw new HaproxyConfigError(`frontend "${frontend}" has ${matches.length} ${acl ? `"use_backend … if ${acl}" rules` : 'default_backend lines'} (lines ${matches.map((m) => m.line + 1).join(', ')}); keep exactly one`);
  }
  const [{ token, ...routing }] = matches;
  if (token.env) throw new HaproxyConfigError(`frontend "${frontend}" names its backend with an environment variable (${token.text}, line ${routing.line + 1}), whose value Blue-Green cannot know: write the backend's name`);
  return routing;
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
  // The backend's word as written (quotes and escapes included) is replaced; nothing else on the line.
  const written = parseConfig(text).lines[routing.line].tokens[1];
  lines[routing.line] = line.slice(0, written.start) + backend + line.slice(written.end);
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
  const last = (s: Section) => {
    let found: { value: 'on' | 'off'; line: number } | undefined;
    for (let i = s.start + 1; i < s.end; i++) {
      const w = lineWords(text, i);
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
