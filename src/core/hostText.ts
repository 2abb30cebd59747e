import { redact, Redacted } from './redact';

/**
 * Texts from a host or a health body (a version, a commit subject, a health detail, a pm2
 * status, an error) are the host's words: they reach dialog titles, tree labels and an
 * agent's messages only through here, on one line and within a stated length, so a host
 * cannot write its own dialog or flood a label.
 */
export const HOST_TEXT_LIMITS = {
  /** A version, a pm2 status, an environment name. */
  word: 40,
  /** A commit id as a health body reports it. */
  commit: 64,
  /** A branch or tag name, a person's name. */
  name: 100,
  /** A commit subject, a smoke check's detail. */
  line: 160,
  /** A health detail or an error message. */
  detail: 300,
} as const;

// Controls (C0, C1, DEL), format characters (zero-width, direction marks and overrides, the soft
// hyphen, tags: Unicode's Cf), line and paragraph separators, and fillers that show as nothing.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]/gu;

export function fromHost(text: string, max: number): Redacted {
  const oneLine = redact(text).replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  // Cut by characters, not UTF-16 units: never half an emoji; the cut text is redacted again (a key block cut short).
  const chars = Array.from(oneLine);
  return redact(chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : oneLine);
}

export function fromHostIfAny(text: string | undefined, max: number): Redacted | undefined {
  return text === undefined ? undefined : fromHost(text, max);
}
