// Hand-written: HAProxy splits a config line into words by rules of its own (its parse_line),
// which no npm package follows; each reader and each edit of haproxy.cfg goes through this one.

/** One word of a config line as HAProxy reads it, and where it was written. */
export interface Token {
  /** The word after HAProxy's unquoting and unescaping (an environment variable left as written). */
  text: string;
  /** Offsets in the raw line of the written form, quotes included: [start, end). */
  start: number;
  end: number;
  /** It holds an environment variable (`"${X}"`), whose value HAProxy takes from its own environment. */
  env: boolean;
}

export interface TokenLine {
  tokens: Token[];
  /** The text after an unquoted, unescaped `#`, when there is one. */
  comment?: string;
}

const VARIABLE_START = /[A-Za-z_.]/;
const VARIABLE_REST = /[A-Za-z0-9_]/;
/** C's isspace() without the line ends, which end the line. */
const SPACE = /[ \t\v\f]/;

/**
 * The words of one line by HAProxy's rules: spaces separate words outside quotes; `"…"` quotes
 * weakly (escapes and `$VARIABLES` still apply), `'…'` strongly (nothing applies); `\ `, `\\`,
 * `\#`, `\'`, `\"`, `\t`, `\n`, `\r` and `\xHH` are escapes outside single quotes (`\$` inside
 * double quotes); `#` outside quotes starts a comment; quoted and unquoted parts of one word
 * join (`shop_"green"` is `shop_green`). Indentation means nothing.
 */
export function tokenize(line: string): TokenLine {
  const tokens: Token[] = [];
  let current: Token | undefined;
  let squote = false;
  let dquote = false;
  const emit = (text: string, at: number) => {
    current ??= { text: '', start: at, end: at, env: false };
    current.text += text;
  };
  const close = (at: number) => {
    if (current) tokens.push({ ...current, end: at });
    current = undefined;
  };
  // HAProxy skips leading white space as C's isspace() has it, a carriage return included;
  // after the first word, a carriage return ends the line.
  let i = /^[ \t\v\f\r]*/.exec(line)![0].length;
  while (i < line.length) {
    const c = line[i];
    if (c === '\n' || c === '\r') break;
    if (c === '#' && !squote && !dquote) {
      close(i);
      return { tokens, comment: line.slice(i + 1).replace(/\r$/, '') };
    }
    if (c === '"' && !squote) {
      emit('', i);
      dquote = !dquote;
      i++;
      continue;
    }
    if (c === "'" && !dquote) {
      emit('', i);
      squote = !squote;
      i++;
      continue;
    }
    if (c === '\\' && !squote) {
      const [text, length] = escaped(line, i, dquote);
      emit(text, i);
      i += length;
      continue;
    }
    if (SPACE.test(c) && !squote && !dquote) {
      close(i);
      while (i < line.length && SPACE.test(line[i])) i++;
      continue;
    }
    if (c === '$' && dquote && VARIABLE_START.test(line[i + 1] === '{' ? line[i + 2] ?? '' : line[i + 1] ?? '')) {
      const length = variableLength(line, i);
      emit(line.slice(i, i + length), i);
      current!.env = true;
      i += length;
      continue;
    }
    emit(c, i);
    i++;
  }
  close(i);
  return { tokens };
}

/** What a backslash at `at` stands for, and how many characters it takes. */
function escaped(line: string, at: number, dquote: boolean): [string, number] {
  const next = line[at + 1] ?? '';
  switch (next) {
    case ' ':
    case '\\':
    case '#':
    case "'":
    case '"':
      return [next, 2];
    case 't':
      return ['\t', 2];
    case 'n':
      return ['\n', 2];
    case 'r':
      return ['\r', 2];
    case '$':
      return dquote ? ['$', 2] : ['\\', 1];
    case 'x': {
      const hex = line.slice(at + 2, at + 4);
      return /^[0-9A-Fa-f]{2}$/.test(hex) ? [String.fromCharCode(parseInt(hex, 16)), 4] : ['\\', 1];
    }
    default:
      return ['\\', 1];
  }
}

/** `$NAME`, `${NAME}`, `${NAME[*]}` or `${NAME-default}`: its written length. */
function variableLength(line: string, at: number): number {
  if (line[at + 1] === '{') {
    const end = line.indexOf('}', at + 2);
    return end < 0 ? line.length - at : end + 1 - at;
  }
  let i = at + 2;
  while (i < line.length && VARIABLE_REST.test(line[i])) i++;
  return i - at;
}

/** The words of a line as text: what HAProxy sees. */
export function words(line: string): string[] {
  return tokenize(line).tokens.map((t) => t.text);
}
