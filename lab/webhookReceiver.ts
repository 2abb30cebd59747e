// The lab's webhook receiver (`npm run lab -- up --staging`): what bluegreen's notify: posts,
// recorded for the tests and the demo. `node out/webhook-receiver.js HOST PORT FILE`.
// Paths: /ok answers 200, /fail 500, /hang never answers; each request is recorded first, as
// one JSON line in FILE ({ at, method, path, headers, body }).
import { appendFileSync } from 'node:fs';
import * as http from 'node:http';

/** Bodies past this are cut: a receiver that fills the disk helps no test. */
const MAX_BODY = 64 * 1024;

export function receiveWebhooks(host: string, port: number, file: string): http.Server {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      if (body.length < MAX_BODY) body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      appendFileSync(file, JSON.stringify({ at: new Date().toISOString(), method: req.method, path, headers: req.headers, body: body.slice(0, MAX_BODY) }) + '\n');
      // Held open until the sender gives up (its bound) or the receiver stops.
      if (path.startsWith('/hang')) return;
      res.statusCode = path.startsWith('/ok') ? 200 : path.startsWith('/fail') ? 500 : 404;
      res.end(res.statusCode === 200 ? 'ok\n' : 'no\n');
    });
  });
  server.listen(port, host);
  return server;
}

if (require.main === module) {
  const [host, port, file] = process.argv.slice(2);
  if (!host || !port || !file) {
    console.error('usage: node out/webhook-receiver.js HOST PORT FILE');
    process.exit(2);
  }
  receiveWebhooks(host, Number(port), file).on('error', (e) => {
    console.error(`webhook receiver: ${e.message}`);
    process.exit(1);
  });
}
