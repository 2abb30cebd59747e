/** POSIX single-quoting: the only form in which a value reaches a remote shell. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A branch or tag name that cannot be read as an option or a revision range. The config's
 * names are checked by its schema; this checks refs typed on the command line or in a prompt.
 */
export const GIT_REF = /^(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[A-Za-z0-9_][A-Za-z0-9_./-]*(?<![./])$/;

/** Replaces `{name}` placeholders in a configured command with single-quoted values. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(values, key) ? shQuote(values[key]) : whole,
  );
}
