import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { exchange } from './exchange';
import { HttpOptions } from './runner';

/** Bodies past this are cut: a health answer is a few hundred bytes. */
const BODY_LIMIT = 1 << 20;

/** The GET sent for a health check or a verification, the same through a tunnel or from the host's shell. */
export function requestText(url: string, hostHeader?: string): string {
  const target = new URL(url);
  return `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${hostHeader ?? target.host}\r\nUser-Agent: bluegreen\r\nAccept: */*\r\nConnection: close\r\n\r\n`;
}

/**
 * A GET over a stream that is already connected (an SSH tunnel), TLS on top for https.
 * Not `http.request` with `createConnection`: editors patch Node's http module for their
 * proxy support, and the patched module (or `agent: false` anywhere) ignores
 * `createConnection` and connects from this machine instead of through the stream.
 */
export async function getOverStream(stream: Duplex, url: string, o: HttpOptions): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const socket: Duplex = target.protocol === 'https:' ? tls.connect({ socket: stream, servername: target.hostname.replace(/^\[|\]$/g, '') }) : stream;
  try {
    return await exchange(socket, requestText(url, o.hostHeader), o, (data, ended) => parseAnswer(data, ended, data.length > BODY_LIMIT));
  } finally {
    stream.destroy();
  }
}

/**
 * Reads an HTTP/1.x answer: status line, headers, then a body delimited by chunks,
 * Content-Length or the end of the stream. Undefined while more is needed; throws on what is
 * not HTTP or was cut short (`cut`: reading stopped past BODY_LIMIT; what came is kept).
 * Written here: Node's own parser is reachable only through the http module (see above),
 * and a parser package would not fit the bundle's size budget.
 */
export function parseAnswer(raw: Buffer, ended: boolean, cut = false): { status: number; body: string } | undefined {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) {
    if (ended || cut) throw new Error(raw.length ? `not an HTTP answer: ${JSON.stringify(raw.subarray(0, 60).toString('latin1'))}` : 'the connection closed without an answer');
    return undefined;
  }
  const [statusLine, ...headerLines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
  if (!status) throw new Error(`not an HTTP answer: ${JSON.stringify(statusLine.slice(0, 60))}`);
  const headers = new Map(headerLines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const rest = raw.subarray(headEnd + 4);
  const answer = (body: Buffer) => ({ status: Number(status[1]), body: body.subarray(0, BODY_LIMIT).toString('utf8') });
  if (cut) return answer(rest);
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) {
    const body = dechunk(rest);
    if (body) return answer(body);
    if (ended) throw new Error('the answer was cut short (its chunks did not end)');
    return undefined;
  }
  const length = headers.get('content-length');
  if (length !== undefined) {
    if (rest.length >= Number(length)) return answer(rest.subarray(0, Number(length)));
    if (ended) throw new Error(`the answer was cut short (${rest.length} of ${length} bytes)`);
    return undefined;
  }
  return ended ? answer(rest) : undefined;
}

/** The body of a complete chunked encoding, or undefined while the last chunk has not arrived. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1').split(';')[0].trim(), 16);
    if (!Number.isFinite(size)) throw new Error('not an HTTP answer: a chunk without a size');
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
