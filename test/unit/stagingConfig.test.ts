import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { problemsOf, withThrowawayHome } from './configProblems';

const FILE = '/work/bluegreen.yaml';
const valid = readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8');


/** The valid fixture with `staging:` (its lines, indented under the app) added. */
function withStaging(...lines: string[]): string {
  return `${valid}    staging:\n${lines.map((l) => `      ${l}\n`).join('')}`;
}

/** The line `staging:` starts on, for the expected positions. */
const STAGING_LINE = valid.split('\n').length;

describe('config: staging', () => {
  withThrowawayHome();

  it('is absent unless written', () => {
    assert.equal(parseConfig(valid, FILE).apps[0].staging, undefined);
  });

  it('loads one server written on staging itself, with develop, the app health and smoke by default', () => {
    const text = withStaging('ssh: stage', 'url: "http://10.92.3.30:3001"', 'dir: /opt/demo', 'pm2: demo-staging');
    const staging = parseConfig(text, FILE).apps[0].staging!;
    assert.equal(staging.branch, 'develop');
    assert.deepEqual(staging.servers, [{ name: 'stage', ssh: 'stage', via: undefined, url: 'http://10.92.3.30:3001', dir: '/opt/demo', pm2: 'demo-staging' }]);
    assert.deepEqual(staging.health, { path: '/api/health', timeoutMs: 5000, attempts: 20, intervalMs: 1500, from: 'slot' });
    assert.deepEqual(staging.smoke, []);
  });

  it('loads several servers, a branch, and health and smoke overrides over the app\'s', () => {
    const text = `${valid}    health: { path: /healthz, from: lb }\n    smoke: [{ path: /app }]\n    staging:\n      branch: next\n      dir: /srv/demo\n      pm2: demo-st\n      servers:\n        - { ssh: st1, url: "http://10.0.0.5:3001", name: one }\n        - { ssh: st2, via: sudo, url: "http://10.0.0.6:3001", pm2: other }\n      health: { attempts: 3 }\n      smoke: [{ path: /staging-only, status: 204 }]\n`;
    const app = parseConfig(text, FILE).apps[0];
    const staging = app.staging!;
    assert.equal(staging.branch, 'next');
    assert.deepEqual(
      staging.servers.map((s) => [s.name, s.ssh, s.via, s.dir, s.pm2]),
      [
        ['one', 'st1', undefined, '/srv/demo', 'demo-st'],
        ['st2', 'st2', 'sudo', '/srv/demo', 'other'],
      ],
    );
    // The app's health is asked from the LB; staging is not behind it, so from its own server.
    assert.deepEqual(staging.health, { path: '/healthz', timeoutMs: 5000, attempts: 3, intervalMs: 1500, from: 'slot' });
    assert.equal(app.health.from, 'lb');
    assert.deepEqual(staging.smoke, [{ path: '/staging-only', status: 204 }]);
    assert.deepEqual(app.smoke, [{ path: '/app', status: 200 }]);
  });

  it('refuses bad input with its line:col', () => {
    const cases: [string, number, number, RegExp][] = [
      [withStaging('ssh: stage', 'url: "http://10.0.0.5:3001"', 'dir: /opt/demo'), STAGING_LINE + 1, 7, /missing "pm2"/],
      [withStaging('ssh: stage', 'url: "http://10.0.0.5:3001"', 'dir: /opt/demo', 'pm2: st', 'branch: "-x"'), STAGING_LINE + 5, 15, /branch/],
      [withStaging('ssh: stage', 'url: "http://10.0.0.5:3001"', 'dir: /opt/demo', 'pm2: st', 'folowing: develop'), STAGING_LINE + 5, 7, /folowing/],
      [withStaging('ssh: stage', 'url: "http://10.0.0.5:99999"', 'dir: /opt/demo', 'pm2: st'), STAGING_LINE + 2, 12, /not a URL/],
      [withStaging('ssh: stage', 'url: "http://10.0.0.5:3001"', 'dir: "/opt/demo;id"', 'pm2: st'), STAGING_LINE + 3, 12, /dir/],
      [withStaging('ssh: stage', 'url: "http://10.0.0.5:3001"', 'dir: /opt/demo', 'pm2: st', 'health: { from: lb }'), STAGING_LINE + 5, 17, /from/],
      [withStaging('ssh: stage', 'dir: /opt/demo', 'pm2: st', 'servers: [{ ssh: st1, url: "http://10.0.0.5:3001" }]'), STAGING_LINE + 1, 7, /"ssh" belongs to each server/],
    ];
    for (const [text, line, col, says] of cases) {
      const problems = problemsOf(text);
      assert.ok(
        problems.some((p) => p.line === line && p.col === col && says.test(p.message)),
        `expected ${says} at ${line}:${col}, got ${JSON.stringify(problems)}`,
      );
    }
  });

  it("refuses a staging server that is a slot's checkout, pm2 process or address, of this app or another", () => {
    // blue is jwa:/opt/demo, pm2 demo-blue, http://10.92.3.22:3001.
    const sameDir = problemsOf(withStaging('ssh: jwa', 'url: "http://10.0.0.5:3001"', 'dir: /opt/demo/', 'pm2: st'));
    assert.equal(sameDir.length, 1, JSON.stringify(sameDir));
    assert.equal(sameDir[0].line, STAGING_LINE + 3);
    assert.match(sameDir[0].message, /^apps\[0\]\.staging\.dir: staging and blue slot share jwa:\/opt\/demo \(blue slot's is apps\[0\]\.slots\.blue\.dir at line 14:\d+\); a deploy to one would rebuild the other/);
    const samePm2 = problemsOf(withStaging('ssh: jwa', 'url: "http://10.0.0.5:3001"', 'dir: /opt/staging', 'pm2: demo-blue'));
    assert.equal(samePm2.length, 1, JSON.stringify(samePm2));
    assert.match(samePm2[0].message, /share the pm2 process "demo-blue" on jwa .*restart the other/);
    const sameUrl = problemsOf(withStaging('ssh: stage', 'url: "http://10.92.3.24:3001/"', 'dir: /opt/demo', 'pm2: demo'));
    assert.equal(sameUrl.length, 1, JSON.stringify(sameUrl));
    assert.match(sameUrl[0].message, /staging and green slot share the url http:\/\/10\.92\.3\.24:3001/);
    // Another app's slot on the staging host: the same checkout is refused too.
    const other = `${withStaging('ssh: stage', 'url: "http://10.0.0.5:3001"', 'dir: /opt/demo', 'pm2: st')}  - name: shop\n    loadBalancer: { ssh: haproxy, config: /etc/haproxy/haproxy.cfg, frontend: http_front, acl: is_shop, reload: x, stateFile: /var/lib/shop.json }\n    slots:\n      blue:  { ssh: stage, backend: shop_blue, url: "http://10.0.1.1:1", dir: /opt/demo, pm2: shop-blue }\n      green: { ssh: shop2, backend: shop_green, url: "http://10.0.1.2:1", dir: /opt/shop, pm2: shop-green }\n`;
    const theirs = problemsOf(other);
    assert.equal(theirs.length, 1, JSON.stringify(theirs));
    assert.match(theirs[0].message, /app "shop"'s blue slot and app "demo"'s staging share stage:\/opt\/demo/);
    // Its own dir and pm2 on a slot's host are fine: only what a deploy reaches must differ.
    assert.ok(parseConfig(withStaging('ssh: jwa', 'url: "http://10.0.0.5:3001"', 'dir: /opt/staging', 'pm2: demo-staging'), FILE).apps[0].staging);
  });
});
