import * as http from 'node:http';
import * as https from 'node:https';
import { errorMessage } from '../errors';
import { Redacted } from '../redact';

export type PostOutcome = { ok: true } | { ok: false; why: string };

/**
 * POSTs a JSON body and settles within `timeoutMs` whatever the other end does (a connection
 * that never opens, a server that never answers or answers slowly): the request is destroyed
 * at the bound. Never rejects. Redirects are not followed: a webhook that moved says so.
 */
export function postJson(url: string, body: Redacted, timeoutMs: number): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ ok: false, why: `did not answer in ${timeoutMs / 1000} s` }), timeoutMs);
    let req: http.ClientRequest | undefined;
    try {
      const client = new URL(url).protocol === 'https:' ? https : http;
      const data = Buffer.from(body);
      // agent: false: a connection of its own, closed after the answer (a pooled keep-alive socket would hold the CLI's exit).
      req = client.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': data.length, 'user-agent': 'bluegreen' } }, (res) => {
        const status = res.statusCode ?? 0;
        // The answer's body says nothing we use; reading it lets the socket close.
        res.resume();
        res.on('end', () => done(status >= 200 && status < 300 ? { ok: true } : { ok: false, why: `answered HTTP ${status}` }));
        res.on('error', (e) => done({ ok: false, why: `broke off its answer (${errorMessage(e)})` }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, why: `could not be reached (${e.code ?? errorMessage(e)})` }));
      req.end(data);
    } catch (e) {
      done({ ok: false, why: `could not be posted to (${errorMessage(e)})` });
    }
  });
}
