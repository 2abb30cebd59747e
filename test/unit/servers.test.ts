import * as assert from 'node:assert/strict';
import { renderSnapshot } from '../../src/cli/render';
import { parseConfig } from '../../src/core/config/load';
import { ServerConfig } from '../../src/core/config/types';
import { appProblem, appsSummary } from '../../src/core/status/appsSummary';
import { AppSnapshot, ServerSnapshot } from '../../src/core/status/snapshot';
import { slotOfServers } from '../../src/core/status/slotOfServers';
import { onServers } from '../../src/core/workflows/parts/onServers';
import { WorkflowError } from '../../src/core/workflows/parts/operation';
import { problemsOf } from './configProblems';

const FILE = '/work/bluegreen.yaml';

function app(name: string, slots: string, loadBalancer = '      frontend: http_front\n      acl: is_demo\n'): string {
  return `  - name: ${name}
    loadBalancer:
      ssh: haproxy
      config: /etc/haproxy/haproxy.cfg
${loadBalancer}      reload: systemctl reload haproxy
      stateFile: /var/lib/haproxy/${name}.json
    slots:
${slots}`;
}

const TWO_BY_TWO = `      blue:
        backend: demo_blue
        dir: /opt/demo
        pm2: demo
        servers:
          - { name: web1, ssh: web1, url: "http://10.0.1.1:3001" }
          - { name: web2, ssh: web2, url: "http://10.0.1.2:3001", dir: /srv/demo }
      green:
        backend: demo_green
        minHealthy: 1
        servers:
          - { ssh: web3, url: "http://10.0.1.3:3001", dir: /opt/demo, pm2: demo }
          - { ssh: web4, url: "http://10.0.1.4:3001", dir: /opt/demo, pm2: demo }
`;


describe('several servers per slot: the config', () => {
  it('lists each server with its own ssh and url, dir and pm2 from the slot unless it has its own, named by its ssh unless named', () => {
    const { slots } = parseConfig(`version: 1\napps:\n${app('demo', TWO_BY_TWO)}`, FILE).apps[0];
    assert.deepEqual(
      slots.blue.servers.map((s) => [s.name, s.ssh, s.url, s.dir, s.pm2]),
      [
        ['web1', 'web1', 'http://10.0.1.1:3001', '/opt/demo', 'demo'],
        ['web2', 'web2', 'http://10.0.1.2:3001', '/srv/demo', 'demo'],
      ],
    );
    assert.deepEqual(slots.green.servers.map((s) => s.name), ['web3', 'web4']);
    assert.equal(slots.blue.minHealthy, 2, 'default: all of them');
    assert.equal(slots.green.minHealthy, 1);
  });

  it('reads a one-host slot as a slot with one server', () => {
    const { slots } = parseConfig(`version: 1\napps:\n${app('demo', '      blue:  { ssh: jwa, backend: demo_blue, url: "http://10.0.0.1:3001", dir: /opt/demo, pm2: demo }\n      green: { ssh: jwg, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo }\n')}`, FILE).apps[0];
    assert.deepEqual(slots.blue, { backend: 'demo_blue', branch: undefined, minHealthy: 1, servers: [{ name: 'jwa', ssh: 'jwa', via: undefined, url: 'http://10.0.0.1:3001', dir: '/opt/demo', pm2: 'demo' }] });
  });

  it('refuses a server listed in both slots, with the line and column of the second', () => {
    const text = `version: 1\napps:\n${app('demo', TWO_BY_TWO.replace('{ ssh: web4, url: "http://10.0.1.4:3001", dir: /opt/demo, pm2: demo }', '{ ssh: web1, url: "http://10.0.1.1:3001", dir: /opt/demo, pm2: demo }'))}`;
    const problems = problemsOf(text);
    const both = problems.filter((p) => /blue's server "web1" and green's "web1"/.test(p.message));
    assert.deepEqual(
      both.map((p) => p.message.split(';')[0]),
      ['blue and green share web1:/opt/demo (blue\'s server "web1" and green\'s "web1")', 'blue and green share the pm2 process "demo" on web1 (blue\'s server "web1" and green\'s "web1")', 'blue and green share the url http://10.0.1.1:3001 (blue\'s server "web1" and green\'s "web1")'],
    );
    const lines = text.split('\n');
    for (const p of both) assert.match(lines[p.line - 1], /ssh: web1, url: "http:\/\/10\.0\.1\.1:3001", dir: \/opt\/demo, pm2: demo/, `line ${p.line}`);
    assert.ok(both.every((p) => p.col > 10), 'the column of the value in the flow mapping');
  });

  it('says what to fix when a slot mixes its own host with servers:, a server lacks dir, names repeat or minHealthy is too high', () => {
    const mixedText = `version: 1\napps:\n${app('demo', TWO_BY_TWO.replace('        backend: demo_blue\n', '        backend: demo_blue\n        ssh: web9\n'))}`;
    const mixed = problemsOf(mixedText);
    assert.match(mixed[0].message, /slots\.blue lists servers:, so "ssh" belongs to each server, not to the slot/);
    assert.equal(mixedText.split('\n')[mixed[0].line - 1], '        ssh: web9');
    const noDir = problemsOf(`version: 1\napps:\n${app('demo', TWO_BY_TWO.replace('{ ssh: web3, url: "http://10.0.1.3:3001", dir: /opt/demo, pm2: demo }', '{ ssh: web3, url: "http://10.0.1.3:3001", pm2: demo }'))}`);
    assert.match(noDir[0].message, /slots\.green\.servers\[0\] \(web3\) has no "dir": set it on the server or once on the slot/);
    const sameName = problemsOf(`version: 1\napps:\n${app('demo', TWO_BY_TWO.replace('name: web2', 'name: web1'))}`);
    assert.match(sameName[0].message, /servers\[1\] and servers\[0\] are both called "web1"/);
    const tooMany = problemsOf(`version: 1\napps:\n${app('demo', TWO_BY_TWO.replace('minHealthy: 1', 'minHealthy: 3'))}`);
    assert.match(tooMany[0].message, /slots\.green\.minHealthy is 3, but the slot has 2 server\(s\)/);
    const missing = problemsOf(`version: 1\napps:\n${app('demo', TWO_BY_TWO.replace('        servers:\n          - { ssh: web3, url: "http://10.0.1.3:3001", dir: /opt/demo, pm2: demo }\n          - { ssh: web4, url: "http://10.0.1.4:3001", dir: /opt/demo, pm2: demo }\n', ''))}`);
    assert.ok(missing.some((p) => /slots\.green is missing "ssh"/.test(p.message)), JSON.stringify(missing));
  });

  it('refuses two apps on one frontend with the same ACL, or both on its default_backend', () => {
    const other = TWO_BY_TWO.replace(/demo_/g, 'shop_').replace(/10\.0\.1\./g, '10.0.2.').replace(/web(\d)/g, 'shop$1');
    const sameAclText = `version: 1\napps:\n${app('demo', TWO_BY_TWO)}${app('shop', other)}`;
    const sameAcl = problemsOf(sameAclText);
    assert.equal(sameAcl.length, 1);
    assert.match(sameAcl[0].message, /app "shop" uses the ACL "is_demo" that app "demo" \(apps\[0\]\) uses in frontend "http_front" on haproxy: a release of one would switch the other/);
    assert.equal(sameAclText.split('\n')[sameAcl[0].line - 1], '      acl: is_demo');
    assert.ok(sameAcl[0].line > 20, "the second app's line");
    const noAcl = '      frontend: http_front\n';
    const bothDefault = problemsOf(`version: 1\napps:\n${app('demo', TWO_BY_TWO, noAcl)}${app('shop', other, noAcl)}`);
    assert.match(bothDefault[0].message, /apps "demo" \(apps\[0\]\) and "shop" are both routed by the default_backend of frontend "http_front"/);
    assert.ok(parseConfig(`version: 1\napps:\n${app('demo', TWO_BY_TWO)}${app('shop', other, '      frontend: http_front\n      acl: is_shop\n')}`, FILE));
  });
});

function server(name: string, s: Partial<ServerSnapshot>): ServerSnapshot {
  return { server: name, host: name, url: `http://${name}:3001`, reachable: true, health: 'up', ...s };
}

describe('several servers per slot: the slot from its servers', () => {
  it('is its one server when it has one', () => {
    const only = server('jwa', { version: '1.2.0', commit: 'a'.repeat(40), pm2: { status: 'online', pid: 42 } });
    const slot = slotOfServers('blue', 'LIVE', [only], 1);
    assert.deepEqual({ ...slot, servers: undefined }, { host: 'jwa', url: 'http://jwa:3001', reachable: true, health: 'up', version: '1.2.0', commit: 'a'.repeat(40), pm2: { status: 'online', pid: 42 }, name: 'blue', role: 'LIVE', servers: undefined });
  });

  it('is healthy when minHealthy servers are, and says which are not', () => {
    const servers = [server('web1', {}), server('web2', { health: 'down', healthDetail: 'HTTP 500 from http://web2:3001/api/health' })];
    assert.equal(slotOfServers('green', 'STANDBY', servers, 2).health, 'down');
    assert.equal(slotOfServers('green', 'STANDBY', servers, 2).healthDetail, '1 of 2 servers healthy: web2 HTTP 500 from http://web2:3001/api/health');
    const lenient = slotOfServers('green', 'STANDBY', servers, 1);
    assert.equal(lenient.health, 'up');
    assert.equal(lenient.healthDetail, '1 of 2 servers healthy (1 needed): web2 HTTP 500 from http://web2:3001/api/health');
    assert.equal(slotOfServers('green', 'STANDBY', [server('web1', { health: 'unknown' }), server('web2', { health: 'unknown' })], 2).health, 'unknown');
  });

  it('has a commit and a version only when every server that reports one agrees, and says how they differ', () => {
    const [a, b] = ['1'.repeat(40), '2'.repeat(40)];
    const agreed = slotOfServers('blue', 'LIVE', [server('web1', { commit: a, version: '1.1.0' }), server('web2', { commit: a, version: '1.1.0' })], 2);
    assert.deepEqual([agreed.commit, agreed.version, agreed.serversDisagree], [a, '1.1.0', undefined]);
    const split = slotOfServers('blue', 'LIVE', [server('web1', { commit: a, version: '1.1.0' }), server('web2', { commit: b, version: '1.2.0' }), server('web3', { reachable: false, error: 'timed out' })], 2);
    assert.deepEqual([split.commit, split.version], [undefined, undefined]);
    assert.equal(split.serversDisagree, 'the servers differ in commit: web1 1111111, web2 2222222; version: web1 1.1.0, web2 1.2.0');
    assert.equal(split.reachable, false);
    assert.equal(split.error, 'web3: timed out');
  });

  it("names each server's smoke results and pm2 state", () => {
    const slot = slotOfServers('blue', 'STANDBY', [server('web1', { smoke: [{ name: 'home', ok: true, detail: 'HTTP 200' }], pm2: { status: 'online', restarts: 1 } }), server('web2', { smoke: [{ name: 'home', ok: false, detail: 'HTTP 502' }], pm2: { status: 'stopped', restarts: 0 } })], 2);
    assert.deepEqual(slot.smoke?.map((r) => `${r.name} ${r.ok}`), ['web1: home true', 'web2: home false']);
    assert.deepEqual(slot.pm2, { status: 'web1 online, web2 stopped', restarts: 1 });
  });
});

describe('several servers per slot: a step on every server', () => {
  const servers = (n: number): ServerConfig[] => Array.from({ length: n }, (_, i) => ({ name: `web${i + 1}`, ssh: `web${i + 1}`, url: `http://10.0.0.${i + 1}:3001`, dir: '/opt/demo', pm2: 'demo' }));

  it('runs `parallel` at a time and returns the results in the servers order', async () => {
    let running = 0;
    let most = 0;
    const results = await onServers(servers(5), 2, async (s) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, s.name === 'web1' ? 30 : 5));
      running--;
      return s.name;
    });
    assert.deepEqual(results, ['web1', 'web2', 'web3', 'web4', 'web5']);
    assert.equal(most, 2);
  });

  it('fails as a whole: no server starts the step after one failed, the running ones finish, and the error names every failure', async () => {
    const started: string[] = [];
    const finished: string[] = [];
    const failing = new Set(['web1', 'web2']);
    const attempt = onServers(servers(4), 2, async (s) => {
      started.push(s.name);
      await new Promise((r) => setTimeout(r, 10));
      if (failing.has(s.name)) throw new WorkflowError('step-failed', 'Build', s.name, 'exit code 1', 'LIVE is unchanged.');
      finished.push(s.name);
    });
    await assert.rejects(attempt, (e: unknown) => {
      assert.ok(e instanceof WorkflowError);
      assert.equal(e.message, 'Build failed on web1: exit code 1; also failed on web2 (exit code 1). LIVE is unchanged.');
      return true;
    });
    assert.deepEqual(started, ['web1', 'web2'], 'web3 and web4 never started');
  });
});

describe('several apps: the badge line about all of them', () => {
  const healthy = (name: string): AppSnapshot => {
    const slot = (n: 'blue' | 'green', role: 'LIVE' | 'STANDBY') => slotOfServers(n, role, [server(`${name}-${n}`, {})], 1);
    const lb: AppSnapshot['lb'] = { host: 'lb', reachable: true, frontend: 'f', state: { file: '/s', status: 'ok', history: [] } };
    return { name, live: 'blue', standby: 'green', lb, lbs: [lb], slots: { blue: slot('blue', 'LIVE'), green: slot('green', 'STANDBY') }, drift: [] };
  };

  it('says all LIVE are healthy, or names the worst app and how many more need attention', () => {
    assert.equal(appsSummary([healthy('demo'), healthy('shop')]), '2 apps: all LIVE healthy');
    const standbyDown = healthy('demo');
    standbyDown.slots.green = { ...standbyDown.slots.green, health: 'down' };
    const liveDown = healthy('shop');
    liveDown.slots.blue = { ...liveDown.slots.blue, health: 'down' };
    assert.equal(appProblem(standbyDown), 'STANDBY unhealthy');
    assert.equal(appsSummary([standbyDown, liveDown, healthy('blog')]), '3 apps: shop LIVE unhealthy (+1 more)');
    const unreachable = healthy('blog');
    unreachable.lb = { ...unreachable.lb, reachable: false };
    assert.equal(appsSummary([healthy('demo'), unreachable]), '2 apps: blog load balancer unreachable');
  });
});

describe('several load balancers: the config', () => {
  const pair = (second: string) => `version: 1
apps:
  - name: shop
    loadBalancers:
      - &lb
        ssh: haproxy1
        config: /etc/haproxy/haproxy.cfg
        frontend: www
        acl: is_shop
        reload: systemctl reload haproxy
        stateFile: /var/lib/bluegreen/shop.json
        frontendUrl: http://10.0.0.11:80
${second}
    slots:
      blue:  { ssh: web1, backend: shop_blue, url: "http://10.0.1.1:3001", dir: /opt/shop, pm2: shop }
      green: { ssh: web2, backend: shop_green, url: "http://10.0.1.2:3001", dir: /opt/shop, pm2: shop }
`;

  it('reads a pair written once with a YAML merge key, the first being the one the lock is taken on', () => {
    const app = parseConfig(pair('      - { <<: *lb, ssh: haproxy2, frontendUrl: "http://10.0.0.12:80" }'), FILE).apps[0];
    assert.deepEqual(app.loadBalancers.map((lb) => [lb.ssh, lb.config, lb.acl, lb.frontendUrl, lb.validate]), [
      ['haproxy1', '/etc/haproxy/haproxy.cfg', 'is_shop', 'http://10.0.0.11:80', 'haproxy -c -f {file}'],
      ['haproxy2', '/etc/haproxy/haproxy.cfg', 'is_shop', 'http://10.0.0.12:80', 'haproxy -c -f {file}'],
    ]);
    assert.equal(app.loadBalancer, app.loadBalancers[0]);
    const one = parseConfig(`version: 1\napps:\n${app2('demo')}`, FILE).apps[0];
    assert.deepEqual(one.loadBalancers, [one.loadBalancer]);
  });

  it('refuses an entry listed twice, an entry without its own frontendUrl, and both keys at once', () => {
    const twice = pair('      - { <<: *lb, frontendUrl: "http://10.0.0.12:80" }');
    const [repeated] = problemsOf(twice);
    assert.match(repeated.message, /loadBalancers\[1\] is loadBalancers\[0\] again \(haproxy1, \/etc\/haproxy\/haproxy\.cfg\); each entry is another HAProxy host/);
    assert.equal(twice.split('\n')[repeated.line - 1], '      - { <<: *lb, frontendUrl: "http://10.0.0.12:80" }');
    const [noUrl] = problemsOf(pair('      - { ssh: haproxy2, config: /etc/haproxy/haproxy.cfg, frontend: www, acl: is_shop, reload: r, stateFile: /s.json }'));
    assert.match(noUrl.message, /loadBalancers\[1\] \(haproxy2\) has no frontendUrl/);
    const [copied] = problemsOf(pair('      - { <<: *lb, ssh: haproxy2 }'));
    assert.match(copied.message, /loadBalancers\[1\] \(haproxy2\) has the frontendUrl of loadBalancers\[0\] \(http:\/\/10\.0\.0\.11:80\): its switch would be checked through the other LB/);
    const both = problemsOf(pair('      - { <<: *lb, ssh: haproxy2, frontendUrl: "http://10.0.0.12:80" }').replace('    slots:', '    loadBalancer: { ssh: x, config: /c, frontend: f, reload: r, stateFile: /s }\n    slots:'));
    assert.match(both[0].message, /apps\[0\] has both loadBalancer: and loadBalancers:/);
    const neither = problemsOf(`version: 1\napps:\n  - name: shop\n    slots:\n      blue:  { ssh: web1, backend: shop_blue, url: "http://10.0.1.1:3001", dir: /opt/shop, pm2: shop }\n      green: { ssh: web2, backend: shop_green, url: "http://10.0.1.2:3001", dir: /opt/shop, pm2: shop }\n`);
    assert.match(neither[0].message, /apps\[0\] is missing "loadBalancer"/);
  });
});

function app2(name: string): string {
  return app(name, '      blue:  { ssh: jwa, backend: demo_blue, url: "http://10.0.0.1:3001", dir: /opt/demo, pm2: demo }\n      green: { ssh: jwg, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo }\n');
}

describe('several servers and load balancers: bluegreen status', () => {
  it('prints each server under its slot, each load balancer, and how the servers differ', () => {
    const [a, b] = ['1'.repeat(40), '2'.repeat(40)];
    const blue = slotOfServers('blue', 'LIVE', [server('web1', { version: '1.1.0', commit: a, responseMs: 12, pm2: { status: 'online' } }), server('web2', { version: '1.1.0', commit: a, responseMs: 15, pm2: { status: 'online' } })], 2);
    const green = slotOfServers('green', 'STANDBY', [server('web3', { version: '1.2.0', commit: b }), server('web4', { version: '1.1.0', commit: a, health: 'down', healthDetail: 'HTTP 503' })], 2);
    const lb = (host: string): AppSnapshot['lb'] => ({ host, reachable: true, frontend: 'www', acl: 'is_shop', backend: 'shop_blue', routesTo: 'blue', state: { file: '/s', status: 'ok', history: [], switchCount: 3 } });
    const app: AppSnapshot = { name: 'shop', live: 'blue', standby: 'green', lb: lb('haproxy1'), lbs: [lb('haproxy1'), lb('haproxy2')], slots: { blue, green }, drift: [] };
    const text = renderSnapshot({ takenAt: new Date().toISOString(), durationMs: 5, apps: [app] });
    const lines = text.split('\n');
    assert.deepEqual(lines.filter((l) => l.includes('load balancer')), ['  load balancer haproxy1: www (if is_shop) → shop_blue (BLUE)', '  load balancer haproxy2: www (if is_shop) → shop_blue (BLUE)']);
    assert.match(text, /\n {2}BLUE +LIVE +up 15ms +1\.1\.0 +1111111 +online +2 servers\n +web1 +up 12ms +1\.1\.0 +1111111 +online +web1\n +web2 +up 15ms/);
    assert.match(text, /\n {2}GREEN +STANDBY +down +\? +differ +2 servers\n/);
    assert.ok(lines.includes('  GREEN: the servers differ in commit: web3 2222222, web4 1111111; version: web3 1.2.0, web4 1.1.0'), text);
    assert.ok(lines.includes('  GREEN: 1 of 2 servers healthy: web4 HTTP 503'), text);
  });
});
