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

// C0 and C1 controls, DEL, zero-width and bidirectional controls, line and paragraph separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function fromHost(text: string, max: number): string {
  const oneLine = text.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export function fromHostIfAny(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : fromHost(text, max);
}
