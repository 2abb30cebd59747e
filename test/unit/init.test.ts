import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initYaml, InitAnswers } from '../../src/core/config/initYaml';
import { parseConfig } from '../../src/core/config/load';
import { SSH_DEFAULTS } from '../../src/core/config/sshRunner';
import { masterSocketOf, proposeReload } from '../../src/core/haproxy/proposeReload';
import { parsePm2Processes } from '../../src/core/status/pm2Processes';

const ANSWERS: InitAnswers = {
  name: 'shop',
  healthPath: '/api/health',
  loadBalancer: { ssh: 'lb', config: '/etc/haproxy/haproxy.cfg', frontend: 'www', acl: 'is_shop', reload: 'systemctl reload haproxy', stateFile: '/var/lib/bluegreen/shop.json', statsSocket: '/run/haproxy/admin.sock' },
  slots: {
    blue: { backend: 'shop_blue', pm2: 'shop', servers: [{ name: 'b1', ssh: 'app1', url: 'http://10.0.0.11:3000', dir: '/srv/shop' }] },
    green: { backend: 'shop_green', pm2: 'shop', servers: [{ name: 'g1', ssh: 'app2', url: 'http://10.0.0.12:3000', dir: '/srv/shop' }, { name: 'g2', ssh: 'app3', url: 'http://10.0.0.13:3000', dir: '/srv/shop' }] },
  },
  header: ['Written by a test.'],
  notes: [{ path: ['loadBalancer', 'reload'], text: 'not found: check it' }, { path: ['slots', 'green', 'servers', 1, 'ssh'], text: 'no alias' }],
};

describe('bluegreen init: the file it writes', () => {
  it('is a config the loader takes: one server inline, several under servers:, notes as comments on their values', () => {
    const text = initYaml(ANSWERS);
    const config = parseConfig(text, '/tmp/bluegreen.yaml');
    const [app] = config.apps;
    assert.equal(app.name, 'shop');
    assert.equal(app.loadBalancers[0].acl, 'is_shop');
    assert.deepEqual(app.slots.blue.servers.map((s) => [s.ssh, s.url, s.dir, s.pm2]), [['app1', 'http://10.0.0.11:3000', '/srv/shop', 'shop']]);
    assert.deepEqual(app.slots.green.servers.map((s) => s.ssh), ['app2', 'app3']);
    assert.equal(app.health.path, '/api/health');
    assert.match(text, /^# Written by a test\.\n/);
    assert.match(text, /reload: systemctl reload haproxy # not found: check it\n/);
    assert.match(text, /ssh: app3 # no alias\n/);
  });

  it('quotes what YAML would misread (a reload with quotes and $(…), a name like a number)', () => {
    const text = initYaml({ ...ANSWERS, loadBalancer: { ...ANSWERS.loadBalancer, reload: 'kill -USR2 "$(cat /run/haproxy.pid)"' } });
    assert.equal(parseConfig(text, '/tmp/bluegreen.yaml').apps[0].loadBalancers[0].reload, 'kill -USR2 "$(cat /run/haproxy.pid)"');
  });

  it('proposes the reload from what runs: systemd, else USR2 to a master-worker with a pid file, else a guess said to be one', () => {
    assert.deepEqual(proposeReload({ systemd: true, args: ['haproxy', '-Ws', '-p', '/run/haproxy.pid'] }).command, 'systemctl reload haproxy');
    assert.equal(proposeReload({ systemd: false, args: ['haproxy', '-W', '-f', '/x.cfg', '-p', '/run/haproxy.pid'] }).command, 'kill -USR2 "$(cat /run/haproxy.pid)"');
    assert.equal(proposeReload({ systemd: false, args: ['haproxy', '-W', '-p', "/run/it's here.pid"] }).command, `kill -USR2 "$(cat '/run/it'\\''s here.pid')"`);
    const guess = proposeReload({ systemd: false, args: ['haproxy', '-D', '-p', '/run/haproxy.pid'] });
    assert.deepEqual([guess.command, guess.found], ['systemctl reload haproxy', false]);
    assert.equal(masterSocketOf(['haproxy', '-Ws', '-S', '/run/haproxy-master.sock,mode,600']), '/run/haproxy-master.sock');
    assert.equal(masterSocketOf(['haproxy', '-S', 'ipv4@127.0.0.1:9999']), undefined);
    assert.equal(masterSocketOf(undefined), undefined);
  });

  it("keeps of pm2's list only each process's name, folder, PORT and status: the environment's secrets go no further", () => {
    const list = [
      { name: 'shop-blue', pid: 10, pm2_env: { pm_cwd: '/srv/shop/current', status: 'online', PORT: '3001', DATABASE_URL: 'postgres://u:hunter2@db/x', env: { PORT: '3001' } } },
      { name: 'worker', pm2_env: { pm_cwd: 'relative', status: 'stopped', env: { PORT: 'x' } } },
      { name: 'bad\nname', pm2_env: { pm_cwd: '/x' } },
      null,
    ];
    const found = parsePm2Processes(`some banner\n${JSON.stringify(list)}\n`);
    assert.deepEqual(found, [{ name: 'shop-blue', cwd: '/srv/shop/current', port: 3001, status: 'online' }, { name: 'worker', status: 'stopped' }]);
    assert.doesNotMatch(JSON.stringify(found), /hunter2/);
    assert.deepEqual(parsePm2Processes('pm2: command not found'), []);
  });

  it("runs its SSH with the schema's defaults for ssh:", () => {
    const schema = JSON.parse(readFileSync(path.join(__dirname, '../../../schema/bluegreen.schema.json'), 'utf8')) as { properties: { ssh: { properties: Record<string, { default?: unknown }> } } };
    const p = schema.properties.ssh.properties;
    assert.deepEqual(SSH_DEFAULTS, { connectTimeoutMs: p.connectTimeoutMs.default, commandTimeoutMs: p.commandTimeoutMs.default, keepaliveIntervalMs: p.keepaliveIntervalMs.default });
  });
});
