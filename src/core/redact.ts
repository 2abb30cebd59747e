/**
 * Credentials never reach a person, a log or an agent: every error message, every output line
 * and every URL shown goes through here. Written by hand: no well-kept package redacts
 * free-form shell output (they scan files for known token formats).
 *
 * The gate is the type: every sink (the output channel, dialogs, input boxes, an agent's
 * results, progress and elicitation, the CLI's stdout and stderr, `status --json`, history
 * entries, approval requests) takes only `Redacted` text, and only `redact` and
 * `redactedJson` make it. A plain string given to a sink does not compile; joining two
 * redacted texts gives a plain string again, so a composed text is redacted as a whole (a
 * credential can be split across the parts: "DB_PASSWORD" + "=hunter2").
 */
declare const REDACTED: unique symbol;
export type Redacted = string & { readonly [REDACTED]: true };

const SECRET_NAME = String.raw`[\w.-]*(?:pass(?:word|wd|phrase)?(?![a-z])|_pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|_key|_?auth(?![a-z])|credentials?)[\w.-]*`;

/** The value replaced, its quotes kept: `"***"`, `'***'` or `***`. */
const hidden = (_all: string, name: string, value: string) => `${name}${/^["']/.test(value) ? `${value[0]}***${value[0]}` : '***'}`;

const PATTERNS: [RegExp, string | ((...groups: string[]) => string)][] = [
  // A private key block, whole (also one cut off before its END line): PEM, OpenSSH, PGP.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g, '[private key redacted]'],
  // A PuTTY key's private part: from its line count to its MAC (or the end of the text).
  [/Private-Lines:\s*\d+[\s\S]*?(?:Private-MAC:[^\n]*|$)/g, '[private key redacted]'],
  // URL credentials: user:password before the "@" that the host follows (the password may hold
  // "/" or "@"), or a token alone before "@".
  [/(\b[a-z][a-z0-9+.-]*:\/\/)(?:[^\s/@:]*:\S*?@(?=(?:[\w.-]+|\[[0-9a-f:.]+\])(?::\d+)?(?:[/?#\s"'<>,;)\]]|$))|[^\s/@:]+@)/gi, '$1***@'],
  // NAME=value, NAME: value, "name": "value", name: 'value' for names that hold secrets.
  [new RegExp(String.raw`(["']?\b${SECRET_NAME}["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s"',;}]+)`, 'gi'), hidden],
  // A connection string's Pwd= (the shell's PWD=/path is a folder, not a secret).
  [/(\bpwd\s*=\s*)(?!\/)("[^"]*"|'[^']*'|[^\s"';]+)/gi, hidden],
  // A password as the next word: --password x, -p is too common a flag to guess about.
  [/(--(?:password|passwd|pass|pwd|token|secret|api-key)\s+)("[^"]*"|'[^']*'|\S+)/gi, hidden],
  // curl -u user:password, --user user:password.
  [/((?:^|\s)(?:-u|--user)[=\s]+["']?[^\s:"']+:)([^\s"']+)/g, '$1***'],
  // A password glued to -p (or after -p/-a) where the command is a database or registry client:
  // mysql -phunter2, mysqldump -p'x', docker login -p x, sshpass -p x, redis-cli -a x.
  [/(\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mariadb|mariadb-dump)\b[^|;&\n]*?\s-p)("[^"]*"|'[^']*'|[^\s"']+)/g, hidden],
  [/(\b(?:sshpass|(?:docker|podman|helm|buildah|skopeo)\s+(?:\S+\s+)*?login)\b[^|;&\n]*?\s-p\s+)("[^"]*"|'[^']*'|\S+)/g, hidden],
  [/(\bredis-cli\b[^|;&\n]*?\s(?:-a|--pass)\s+)("[^"]*"|'[^']*'|\S+)/gi, hidden],
  // Azure storage and SAS: AccountKey=…;  …&sig=…
  [/(\b(?:AccountKey|SharedAccessSignature)\s*=\s*)([^\s;"']+)/gi, hidden],
  [/([?&]sig=)([^\s&"'#]+)/gi, hidden],
  // Cookies as headers print them: Cookie: a=b; c=d (not the canary's cookie:NAME).
  [/(\b(?:set-)?cookie:\s+[^=\s;]+=)([^\s;]+)/gi, hidden],
  // Tokens whose format names them, anywhere in free text.
  [/\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36}|AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,}|eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,})\b/g, '***'],
  [/(https:\/\/hooks\.slack\.com\/services\/)\S+/g, '$1***'],
  // Authorization headers, also as JSON: "Authorization": "Bearer …".
  [/(["']?\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[^\s"',}]+/gi, '$1***'],
  // Digest: every parameter after it (the response is derived from the password).
  [/(\bauthorization["']?\s*[:=]\s*["']?digest\s+)[^\n]*/gi, '$1***'],
];

/** Removes credentials from a text (one line or many). Redacting a redacted text changes nothing. */
export function redact(text: string): Redacted {
  return PATTERNS.reduce((t, [re, by]) => t.replace(re, by as string), text) as Redacted;
}

export function redactIfAny(text: string | undefined): Redacted | undefined {
  return text === undefined ? undefined : redact(text);
}

const WHOLE_SECRET_NAME = new RegExp(`^${SECRET_NAME}$`, 'i');

/**
 * A copy of plain data (objects, arrays) with every string in it redacted, keys included; a
 * string under a key that names a secret (`"DB_PASSWORD": "…"`, as a health body may send) is
 * hidden whole. What the tree and the badge show is read through here (the status's Snapshot).
 */
export function redactedCopy<T>(value: T): T {
  const clean = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key !== undefined && WHOLE_SECRET_NAME.test(key) ? '***' : redact(v);
    if (Array.isArray(v)) return v.map((each) => clean(each, key));
    if (v && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) return Object.fromEntries(Object.entries(v).map(([k, each]) => [redact(k), clean(each, k)]));
    return v;
  };
  return clean(value) as T;
}

/**
 * A value as JSON, redacted as redactedCopy does. Redacting the JSON text instead would break it
 * (a cut-off key block runs to the end of the text).
 */
export function redactedJson(value: unknown, space?: number): Redacted {
  return JSON.stringify(redactedCopy(JSON.parse(JSON.stringify(value) ?? 'null')), null, space) as Redacted;
}

/**
 * Follows a stream line by line for what one line cannot show: a private key block spread over
 * lines is replaced by one line and nothing of its body is passed on. The rest of each line is
 * redacted where it is written (the reporters' sinks, error messages).
 */
const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|Private-Lines:\s*\d+/;
const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|Private-MAC:/;

export class LineRedactor {
  private inKey = false;

  /** The line, or undefined when it is part of a key block already replaced. */
  line(text: string): string | undefined {
    if (this.inKey) {
      if (KEY_END.test(text)) this.inKey = false;
      return undefined;
    }
    if (KEY_BEGIN.test(text) && !KEY_END.test(text)) {
      this.inKey = true;
      return '[private key redacted]';
    }
    return text;
  }
}
