// The lab's sample app: one slot of a blue-green pair. Health reports what the
// extension reads in production: version, environment and the commit it runs.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: __dirname }).toString().trim();
} catch {
  // not a git checkout: report "unknown"
}
const environment = process.env.APP_ENV || 'development';
const unhealthyFile = process.env.UNHEALTHY_FILE;
// While this file exists, every page but the health endpoint fails: a release that passes its
// health checks and still breaks the app.
const failingFile = process.env.FAILING_FILE;

const server = http.createServer((req, res) => {
  if (req.url === '/api/health') {
    const healthy = !(unhealthyFile && fs.existsSync(unhealthyFile));
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: healthy ? 'ok' : 'unhealthy', version: pkg.version, environment, commit }));
    return;
  }
  // GET /say?line=TEXT[&stream=err]: the app prints TEXT to its log (stdout, or stderr), as an app
  // logs what happens to it; the tests of `bluegreen logs` read it back.
  if (req.url.startsWith('/say?')) {
    const query = new URL(req.url, 'http://lab').searchParams;
    (query.get('stream') === 'err' ? console.error : console.log)(query.get('line') ?? '');
    res.writeHead(204);
    res.end();
    return;
  }
  if (failingFile && fs.existsSync(failingFile)) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('the lab app fails on purpose\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`${pkg.name} ${pkg.version} on ${environment}\n`);
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT || 3001), process.env.HOST || '127.0.0.1');
process.on('SIGINT', () => server.close(() => process.exit(0)));
