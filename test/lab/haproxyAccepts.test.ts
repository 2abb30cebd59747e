import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HAPROXY_CASES } from '../haproxyCases';

/** The reader's unit cases are only worth something if HAProxy accepts each config as written. */
describe('HAProxy accepts, and routes as read, every config the reader is tested with', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-haproxy-cases-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of HAPROXY_CASES) {
    it(c.name, () => {
      const file = path.join(dir, 'haproxy.cfg');
      writeFileSync(file, c.config);
      try {
        execFileSync('haproxy', ['-c', '-f', file], { env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin`, ...c.env }, stdio: 'pipe' });
      } catch (e) {
        const err = e as { stdout?: Buffer; stderr?: Buffer };
        assert.fail(`haproxy -c refused the case:\n${String(err.stdout ?? '')}${String(err.stderr ?? '')}`);
      }
    });
  }

  /** Tiny backends that answer with their own name, so a request through HAProxy shows where it went. */
  const answering = (name: string) => new Promise<http.Server>((resolve) => {
    const server = http.createServer((_req, res) => res.end(name)).listen(0, '127.0.0.1', () => resolve(server));
  });
  const portOf = (s: http.Server) => (s.address() as AddressInfo).port;
  const freePort = async () => {
    const probe = await answering('');
    const port = portOf(probe);
    await new Promise((r) => probe.close(r));
    return port;
  };

  for (const c of HAPROXY_CASES) {
    if (!('live' in c.expect)) continue;
    const live = c.servedBy ?? c.expect.live;
    it(`${c.name}: HAProxy sends the app's requests to ${live}${c.servedBy ? ' (the stray rule takes them, as the reader says)' : ', as read'}`, async () => {
      const backends = await Promise.all(['shop_blue', 'shop_green', 'other'].map(answering));
      const front = await freePort();
      let config = c.config
        .replace(/127\.0\.0\.1:3001/g, `127.0.0.1:${portOf(backends[0])}`)
        .replace(/127\.0\.0\.1:3002/g, `127.0.0.1:${portOf(backends[1])}`)
        .replace(/127\.0\.0\.1:3009/g, `127.0.0.1:${portOf(backends[2])}`)
        .replace('127.0.0.1:18080', `127.0.0.1:${front}`);
      for (const extra of new Set(config.match(/127\.0\.0\.1:18(08[1-4]|443)\b/g) ?? [])) config = config.split(extra).join(`127.0.0.1:${await freePort()}`);
      const file = path.join(dir, 'running.cfg');
      writeFileSync(file, config);
      const haproxy = spawn('haproxy', ['-db', '-f', file], { env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin`, ...c.env }, stdio: 'ignore' });
      try {
        let answer = '';
        for (let i = 0; i < 100 && !answer; i++) {
          answer = await new Promise<string>((resolve) => {
            http.get({ host: '127.0.0.1', port: front, path: '/', headers: { host: 'shop.example' } }, (res) => {
              let body = '';
              res.on('data', (d: Buffer) => (body += d.toString()));
              res.on('end', () => resolve(body));
            }).on('error', () => setTimeout(() => resolve(''), 50));
          });
        }
        assert.equal(answer, live);
      } finally {
        haproxy.kill();
        await Promise.all(backends.map((b) => new Promise((r) => b.close(r))));
      }
    });
  }

  it('and refuses a config without the variable a case needs (the check is not a formality)', () => {
    const needy = HAPROXY_CASES.find((c) => c.env)!;
    const file = path.join(dir, 'needy.cfg');
    writeFileSync(file, needy.config);
    assert.throws(() => execFileSync('haproxy', ['-c', '-f', file], { env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin` }, stdio: 'pipe' }));
  });
});
