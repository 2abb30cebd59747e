import { Duplex } from 'node:stream';
import { BlueGreenError } from '../errors';

/**
 * Writes `request` on a connected stream (a tunnel, a Unix socket) and collects what comes
 * back until `answer` makes something of it — given the bytes so far and whether the stream
 * has ended — or the time runs out, or Cancel. The stream is destroyed either way.
 * `label` starts the messages of a timeout or a cancel ("/run/haproxy.sock on lb: …");
 * `endAfterRequest` closes the sending side after the request.
 */
export function exchange<T>(
  stream: Duplex,
  request: string,
  o: { timeoutMs: number; signal?: AbortSignal; label?: string; host?: string; endAfterRequest?: boolean },
  answer: (data: Buffer, ended: boolean) => T | undefined,
): Promise<T> {
  const say = (text: string) => (o.label ? `${o.label}: ${text}` : text);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      stream.destroy();
      outcome();
    };
    const read = (ended: boolean) => {
      if (settled) return;
      try {
        const result = answer(Buffer.concat(chunks, size), ended);
        if (result !== undefined) settle(() => resolve(result));
      } catch (e) {
        settle(() => reject(e));
      }
    };
    const timer = setTimeout(() => settle(() => reject(new BlueGreenError('timeout', say(`no answer within ${o.timeoutMs} ms`), o.host))), o.timeoutMs);
    const onAbort = () => settle(() => reject(new BlueGreenError('aborted', say('cancelled'), o.host)));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      read(false);
    });
    stream.on('end', () => read(true));
    stream.on('close', () => read(true));
    stream.on('error', (e: Error) => settle(() => reject(e)));
    // HAProxy's master CLI answers only once the client has said all it will (as socat does).
    if (o.endAfterRequest) stream.end(request);
    else stream.write(request);
  });
}
