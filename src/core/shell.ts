import { BlueGreenError } from './errors';

/** POSIX single-quoting: the only form in which a value reaches a remote shell. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Names that end up in commands or in haproxy.cfg. A leading `-` is refused everywhere so a
 * value can never be read as an option.
 */
export const SAFE_PATTERNS = {
  haproxyName: /^[A-Za-z0-9_.:][A-Za-z0-9_.:-]*$/,
  pm2Name: /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/,
  gitRef: /^(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[A-Za-z0-9_][A-Za-z0-9_./-]*(?<![./])$/,
  absolutePath: /^\/[A-Za-z0-9_./@+-]*$/,
  appName: /^[a-z0-9][a-z0-9_-]*$/,
} as const;

export type SafeKind = keyof typeof SAFE_PATTERNS;

export function assertSafe(kind: SafeKind, value: string, what: string): string {
  if (!SAFE_PATTERNS[kind].test(value)) {
    throw new BlueGreenError('unsafe-value', `${what} ${JSON.stringify(value)} is not a safe ${kind}`);
  }
  return value;
}

/** Replaces `{name}` placeholders in a configured command with single-quoted values. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(values, key) ? shQuote(values[key]) : whole,
  );
}
