import { findCanary } from './canary';
import { findRouting, sections, words } from './config';

export interface StrayRoute {
  /** 1-based line in the config file. */
  line: number;
  text: string;
}

/**
 * Rules in the app's frontend, besides its own routing line, that can send requests to a
 * slot's backend: a `use_backend` naming one (under any condition), a `use_backend` whose
 * backend is computed (`%[…]`, which may name one), or, in a shared frontend, a
 * `default_backend` that is one. With any of them traffic is split between the slots, so
 * "STANDBY" is not idle and a switch moves only part of it.
 */
export function strayRoutes(text: string, frontend: string, acl: string | undefined, slotBackends: readonly string[], app?: string): StrayRoute[] {
  const own = findRouting(text, frontend, acl);
  // The app's canary rule, exactly as this tool writes it, is a split it knows and shows.
  const canary = app === undefined ? undefined : findCanary(text, frontend, acl, app)?.line;
  const section = sections(text).find((s) => (s.keyword === 'frontend' || s.keyword === 'listen') && s.name === frontend)!;
  const lines = text.split('\n');
  const stray: StrayRoute[] = [];
  for (let i = section.start + 1; i < section.end; i++) {
    if (i === own.line || i === canary) continue;
    const [keyword, backend = ''] = words(lines[i]);
    const named = slotBackends.includes(backend);
    const computed = backend.includes('%[');
    if ((keyword === 'use_backend' && (named || computed)) || (keyword === 'default_backend' && named)) {
      stray.push({ line: i + 1, text: lines[i].replace(/#.*$/, '').trim() });
    }
  }
  return stray;
}
