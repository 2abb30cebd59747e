import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { findCanary } from './canary';
import { findRouting, inheritedDefaultBackend, parseConfig, routingSections, Section } from './config';
import { Token } from './tokens';

export interface StrayRoute {
  /** 1-based line in the config file. */
  line: number;
  text: string;
  /** The frontend or listen section whose traffic the rule routes. */
  section: string;
  /** Another file the running HAProxy loads, when the rule is there and not in the app's config file. */
  file?: string;
}

/**
 * Rules anywhere in the config, besides the app's own routing line, that can send requests to
 * a slot's backend: in every frontend and listen section (not only the app's), a `use_backend`
 * naming one (under any condition), a `use_backend` whose backend is computed (`%[…]`) or comes
 * from an environment variable (either may name one), a `default_backend` (its own or the one
 * it inherits from its defaults section) that is or may be one; and a slot backend written as a
 * `listen` section with a `bind` of its own, which takes connections directly. With any of them
 * "STANDBY" is not idle and a switch moves only part of the traffic.
 */
export function strayRoutes(text: string, frontend: string, acl: string | undefined, slotBackends: readonly string[], app?: string): StrayRoute[] {
  const own = findRouting(text, frontend, acl);
  // The app's canary rule, exactly as this tool writes it, is a split it knows and shows.
  const canary = app === undefined ? undefined : findCanary(text, frontend, acl, app)?.line;
  const { raw, lines } = parseConfig(text);
  const shown = (i: number) => shownRule(raw[i], lines[i].comment);
  const stray: StrayRoute[] = [];
  const add = (i: number, section: Readonly<Section>) => {
    if (!stray.some((s) => s.line === i + 1 && s.section === section.name)) stray.push({ line: i + 1, text: shown(i), section: section.name });
  };
  const mayBeSlot = (i: number) => mayNameSlot(lines[i].tokens[1], slotBackends);
  for (const section of routingSections(text)) {
    if (section.keyword === 'listen' && slotBackends.includes(section.name)) {
      const bind = findLine(lines, section, (w) => w[0] === 'bind');
      if (bind !== undefined) add(bind, section);
    }
    let hasDefault = false;
    for (let i = section.start + 1; i < section.end; i++) {
      const keyword = lines[i].tokens[0]?.text;
      if (keyword === 'default_backend') hasDefault = true;
      if (i === own.line || i === canary) continue;
      if ((keyword === 'use_backend' || keyword === 'default_backend') && mayBeSlot(i)) add(i, section);
    }
    if (hasDefault) continue;
    const inherited = inheritedDefaultBackend(text, section)?.lines.at(-1);
    const ownInheritance = section.name === frontend && inherited === own.line;
    if (inherited !== undefined && !ownInheritance && mayBeSlot(inherited)) add(inherited, section);
  }
  return stray.sort((a, b) => a.line - b.line);
}

/**
 * A routing rule's backend word that is, or may be, a slot's: named as one, from an environment
 * variable, or computed at each request (`%[…]`, `%{+Q}[…]` and their kin).
 */
function mayNameSlot(backend: Token | undefined, slotBackends: readonly string[]): boolean {
  return !!backend && (slotBackends.includes(backend.text) || backend.env || backend.text.includes('%'));
}

function findLine(lines: ReturnType<typeof parseConfig>['lines'], section: Readonly<Section>, match: (w: string[]) => boolean): number | undefined {
  for (let i = section.start + 1; i < section.end; i++) if (match(lines[i].tokens.map((t) => t.text))) return i;
  return undefined;
}

/** A rule as the status shows it: without its comment, one bounded line (the file is anyone's who can write it). */
function shownRule(raw: string, comment: string | undefined): string {
  return fromHost(raw.replace(/\r$/, '').slice(0, comment === undefined ? undefined : -(comment.length + 1)), HOST_TEXT_LIMITS.line);
}

/**
 * Rules in another file the running HAProxy loads (`-f conf.d/…`) that can send requests to a
 * slot's backend: none of them is the app's own routing line, so every one is a split.
 */
export function strayRoutesIn(file: string, text: string, slotBackends: readonly string[]): StrayRoute[] {
  const { raw, lines } = parseConfig(text);
  const stray: StrayRoute[] = [];
  for (const section of routingSections(text)) {
    for (let i = section.start + 1; i < section.end; i++) {
      const [keyword, backend] = lines[i].tokens;
      if ((keyword?.text === 'use_backend' || keyword?.text === 'default_backend') && mayNameSlot(backend, slotBackends)) {
        stray.push({ line: i + 1, text: shownRule(raw[i], lines[i].comment), section: section.name, file });
      }
    }
  }
  return stray;
}
