import * as http from 'node:http';
import * as https from 'node:https';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { HttpOptions } from './runner';

/** Bodies past this are cut: a health answer is a few hundred bytes. */
export const BODY_LIMIT = 1 << 20;

/**
 * A GET over a stream that is already connected: an SSH tunnel, or (see `readRawAnswer`) an
 * answer the host's shell already read. Node's own parser reads it (status, chunked bodies).
 * `agent` stays unset: with `agent: false` Node ignores `createConnection` and connects
 * from this machine instead of through the stream.
 */
export function getOverStream(stream: Duplex, url: string, o: HttpOptions): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const socket = secure ? tls.connect({ socket: stream, servername: target.hostname }) : stream;
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      { method: 'GET', createConnection: () => socket as never, headers: { connection: 'close', 'user-agent': 'bluegreen', ...(o.hostHeader ? { host: o.hostHeader } : {}) }, signal: o.signal },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < BODY_LIMIT) chunks.push(c.subarray(0, BODY_LIMIT - size));
          size += c.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    function fail(e: Error) {
      clearTimeout(timer);
      stream.destroy();
      reject(e);
    }
    request.on('error', fail);
    request.end();
  });
}

/** Reads a raw HTTP answer (status line, headers, body) that the host's shell already fetched. */
export function readRawAnswer(response: Buffer, o: HttpOptions): Promise<{ status: number; body: string }> {
  const stream = new Duplex({
    read() {},
    // The request Node writes goes nowhere: the host's shell sent its own.
    write(_chunk, _encoding, done) {
      done();
    },
  });
  stream.push(response);
  stream.push(null);
  return getOverStream(stream, 'http://answer.invalid/', { timeoutMs: o.timeoutMs });
}
