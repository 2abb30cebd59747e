import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError, parseConfig } from '../../src/core/config/load';
import { withThrowawayHome } from './configProblems';

const FILE = '/work/bluegreen.yaml';
const valid = readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8');

function problemsOf(text: string): { line: number; col: number; message: string }[] {
  try {
    parseConfig(text, FILE);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    assert.equal(e.reason, 'config-invalid');
    return [...e.problems];
  }
  assert.fail('the config was accepted');
}

/** Replaces the first occurrence of `from` in the valid config. */
function variant(from: string, to: string): string {
  assert.ok(valid.includes(from), `fixture lacks ${from}`);
  return valid.replace(from, to);
}

describe('config loader', () => {
  // Hosts are resolved with the user's own ~/.ssh/config when bluegreen.yaml names none: a home of the test's own.
  const home = withThrowawayHome();

  it('loads a valid file and fills defaults', () => {
    const c = parseConfig(valid, FILE);
    const app = c.apps[0];
    assert.equal(app.name, 'demo');
    assert.equal(app.loadBalancer.acl, 'is_demo');
    assert.equal(app.loadBalancer.via, 'pct exec 136 --');
    assert.equal(app.slots.green.servers[0].ssh, 'deploy@10.92.3.24:2222');
    assert.deepEqual(app.health, { path: '/api/health', timeoutMs: 5000, attempts: 20, intervalMs: 1500, from: 'slot' });
    assert.equal(app.deploy.branch, 'main');
    assert.equal(app.deploy.restart, 'pm2 restart {pm2}');
    assert.deepEqual(app.deploy.migrations, ['prisma/migrations/*/migration.sql', 'migrations/**/*.sql']);
    assert.equal(c.ssh.connectTimeoutMs, 15000);
    assert.equal(c.file, FILE);
  });

  it('takes the migrations\' dialect, postgres or mysql, beside the globs (a list as before); none by default, so the schema decides', () => {
    const deploy = (yaml: string) => parseConfig(`${valid}    deploy: ${yaml}\n`, FILE).apps[0].deploy;
    assert.equal(deploy('{ migrations: ["db/*.sql"], migrationsDialect: mysql }').migrationsDialect, 'mysql');
    assert.deepEqual(deploy('{ migrations: ["db/*.sql"] }').migrations, ['db/*.sql']);
    assert.equal(parseConfig(valid, FILE).apps[0].deploy.migrationsDialect, undefined);
    const ps = problemsOf(`${valid}    deploy: { migrationsDialect: sqlite }\n`);
    assert.ok(ps.some((p) => /deploy\.migrationsDialect/.test(p.message) && /postgres/.test(p.message) && /mysql/.test(p.message)), JSON.stringify(ps));
  });

  it('resolves ssh file paths against the config file folder', () => {
    const c = parseConfig(`ssh:\n  config: ./ssh_config\n  knownHosts: /abs/known_hosts\n${valid}`, '/work/project/bluegreen.yaml');
    assert.equal(c.ssh.config, '/work/project/ssh_config');
    assert.equal(c.ssh.knownHosts, '/abs/known_hosts');
  });

  describe('malformed YAML (RELIABILITY row 19)', () => {
    it('duplicate keys: line:col of the repeated key', () => {
      const [p] = problemsOf(variant('    url: https://demo.example.net\n', '    url: https://demo.example.net\n    url: https://other.example.net\n'));
      assert.deepEqual([p.line, p.col], [5, 5]);
      assert.match(p.message, /unique|once/i);
    });

    it('tabs used for indentation', () => {
      const [p] = problemsOf(variant('      ssh: haproxy', '\tssh: haproxy'));
      assert.equal(p.line, 6);
      assert.match(p.message, /tab/i);
    });

    it('unknown keys, with a suggestion and the allowed keys', () => {
      const ps = problemsOf(variant('      reload:', '      relaod: x\n      reload:'));
      assert.equal(ps.length, 1);
      assert.deepEqual([ps[0].line, ps[0].col], [11, 7]);
      assert.match(ps[0].message, /unknown key "relaod".*did you mean "reload"/);
    });

    it('wrong types', () => {
      const ps = problemsOf(`${valid}    health: { timeoutMs: "soon", attempts: [1] }\n`);
      const messages = ps.map((p) => p.message).join('\n');
      assert.match(messages, /apps\[0\]\.health\.timeoutMs must be a whole number, not string "soon"/);
      assert.match(messages, /apps\[0\]\.health\.attempts must be a whole number, not a list/);
      assert.ok(ps.every((p) => p.line === 16));
    });

    it('values out of range say the bound and the value', () => {
      const messages = problemsOf(`${valid}    health: { attempts: 0, timeoutMs: 99999999 }\n`).map((p) => p.message).join('\n');
      assert.match(messages, /apps\[0\]\.health\.attempts must be at least 1, not 0/);
      assert.match(messages, /apps\[0\]\.health\.timeoutMs must be at most \d+, not 99999999/);
    });

    it('missing fields name the field and where it belongs', () => {
      const ps = problemsOf(variant('      stateFile: /var/lib/haproxy/demo-deployment-state.json\n', ''));
      assert.equal(ps.length, 1);
      assert.match(ps[0].message, /apps\[0\]\.loadBalancer is missing "stateFile"/);
      assert.equal(ps[0].line, 6);
    });

    it('a missing version and an empty file', () => {
      assert.match(problemsOf(valid.replace('version: 1\n', ''))[0].message, /missing "version"/);
      assert.match(problemsOf('version: 2\n' + valid.replace('version: 1\n', ''))[0].message, /version must be 1/);
      assert.match(problemsOf('')[0].message, /empty/);
    });

    it('an alias bomb is refused without expanding it', () => {
      const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]'].join('\n');
      const started = Date.now();
      const [p] = problemsOf(bomb);
      assert.match(p.message, /alias/);
      assert.ok(Date.now() - started < 1000);
    });

    it('every problem carries the file, line and column when formatted', () => {
      try {
        parseConfig(variant('      reload:', '      relaod: x\n      reload:'), FILE);
      } catch (e) {
        assert.match((e as Error).message, /^\/work\/bluegreen\.yaml:11:7: unknown key/);
        return;
      }
      assert.fail('accepted');
    });
  });

  describe('injection through config values (RELIABILITY row 20)', () => {
    const marker = `/tmp/bluegreen-pwned-${process.pid}`;
    const payloads = [`;touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `x\ntouch ${marker}`, '-oProxyCommand=touch'];
    const fields: [string, string][] = [
      ['backend: demo_blue', 'backend'],
      ['pm2: demo-blue', 'pm2'],
      ['dir: /opt/demo, pm2: demo-blue', 'dir'],
      ['ssh: jwa', 'ssh'],
      ['frontend: http_front', 'frontend'],
      ['acl: is_demo', 'acl'],
      ['stateFile: /var/lib/haproxy/demo-deployment-state.json', 'stateFile'],
      ['via: pct exec 136 --', 'via'],
    ];
    for (const [original, key] of fields) {
      it(`rejects ${key} values that a shell would interpret`, () => {
        for (const payload of payloads) {
          const rest = original.slice(original.indexOf(',') >= 0 ? original.indexOf(',') : original.length);
          const text = variant(original, `${key}: ${JSON.stringify(payload)}${rest}`);
          const ps = problemsOf(text);
          assert.ok(ps.some((p) => p.message.includes(key) && /not allowed/.test(p.message)), `${key}=${JSON.stringify(payload)}: ${ps.map((p) => p.message).join('; ')}`);
        }
        assert.equal(existsSync(marker), false);
      });
    }

    it('rejects a branch that could be read as an option or a revision range', () => {
      for (const branch of ['-x', 'a..b', 'main;id', 'a b', 'main/']) {
        const ps = problemsOf(`${valid}    deploy: { branch: ${JSON.stringify(branch)} }\n`);
        assert.ok(ps.some((p) => /deploy\.branch/.test(p.message)), branch);
      }
    });

    it('rejects migration globs git would read as pathspec magic, an exclusion, an absolute path or a way up', () => {
      for (const glob of [':(top)x', '!x.sql', '/etc/*.sql', '../db/*.sql', 'db/$(id).sql']) {
        const ps = problemsOf(`${valid}    deploy: { migrations: [${JSON.stringify(glob)}] }\n`);
        assert.ok(ps.some((p) => /deploy\.migrations\[0\]/.test(p.message) && /git globs/.test(p.message)), `${glob}: ${JSON.stringify(ps)}`);
      }
      assert.deepEqual(parseConfig(`${valid}    deploy: { migrations: [] }\n`, FILE).apps[0].deploy.migrations, []);
    });

    it('rejects URLs with shell metacharacters', () => {
      assert.ok(problemsOf(variant('url: "http://10.92.3.22:3001"', 'url: "http://10.92.3.22:3001/$(id)"')).length > 0);
    });
  });

  describe('relations between values', () => {
    it('refuses two slots that share a backend, a checkout or a pm2 process', () => {
      const same = variant('green: { ssh: deploy@10.92.3.24:2222, backend: demo_green, url: "http://10.92.3.24:3001", dir: /opt/demo, pm2: demo }', 'green: { ssh: jwa, backend: demo_blue, url: "http://10.92.3.24:3001", dir: /opt/demo, pm2: demo-blue }');
      const messages = problemsOf(same).map((p) => p.message).join('\n');
      assert.match(messages, /both use backend "demo_blue"/);
      assert.match(messages, /share jwa:\/opt\/demo/);
      assert.match(messages, /share the pm2 process "demo-blue"/);
    });

    it('hardening: a URL or port valid for the schema but not for its use is refused at load, with its line (RELIABILITY row 25)', () => {
      const badUrl = problemsOf(variant('url: "http://10.92.3.22:3001"', 'url: "http://10.92.3.22:80810"'));
      assert.equal(badUrl.length, 1);
      assert.match(badUrl[0].message, /http:\/\/10\.92\.3\.22:80810 is not a URL a client can open/);
      assert.equal(badUrl[0].line, 14);
      const badPort = problemsOf(variant('ssh: deploy@10.92.3.24:2222', 'ssh: deploy@10.92.3.24:99999'));
      assert.match(badPort[0].message, /port 99999 in "deploy@10\.92\.3\.24:99999" is out of range/);
      assert.equal(badPort[0].line, 15);
    });

    it('hardening: two slots whose dirs differ only by a trailing slash are one checkout (RELIABILITY row 30)', () => {
      const text = variant('green: { ssh: deploy@10.92.3.24:2222, backend: demo_green, url: "http://10.92.3.24:3001", dir: /opt/demo, pm2: demo }', 'green: { ssh: jwa, backend: demo_green, url: "http://10.92.3.24:3001", dir: /opt/demo/, pm2: demo }');
      assert.match(problemsOf(text).map((p) => p.message).join('\n'), /share jwa:\/opt\/demo/);
    });

    it('refuses a hook on a host that is not defined', () => {
      const text = `${valid}    deploy:\n      hooks:\n        backup:\n          - { host: db, run: backup.sh }\n`;
      const [p] = problemsOf(text);
      assert.match(p.message, /hook host "db" is not defined/);
      assert.equal(p.line, 19);
      const ok = parseConfig(`hosts:\n  db: { ssh: jwdb, via: sudo }\n${text}`, FILE);
      assert.deepEqual(ok.apps[0].hosts?.db, { ssh: 'jwdb', via: 'sudo' });
    });

    it('refuses duplicate app names', () => {
      const app = valid.slice(valid.indexOf('  - name: demo'));
      assert.match(problemsOf(valid + app).map((p) => p.message).join('\n'), /app name "demo" is already used/);
    });

  describe('no slot reaches another slot of any app (issue #28: apps never overlap)', () => {
    // A second app on demo's hosts, each slot its own checkout, pm2 process and url.
    const SHOP = `  - name: shop
    loadBalancer:
      ssh: haproxy
      config: /etc/haproxy/haproxy.cfg
      frontend: http_front
      acl: is_shop
      reload: systemctl reload haproxy
      stateFile: /var/lib/haproxy/shop-deployment-state.json
    slots:
      blue:  { ssh: jwa, backend: shop_blue, url: "http://10.92.3.22:3002", dir: /opt/shop, pm2: shop-blue }
      green: { ssh: deploy@10.92.3.24:2222, backend: shop_green, url: "http://10.92.3.24:3002", dir: /opt/shop, pm2: shop }
`;
    const SHOP_COPIED = `  - <<: *demo
    name: shop
    loadBalancer: { ssh: haproxy, config: /etc/haproxy/haproxy.cfg, frontend: http_front, acl: is_shop, reload: systemctl reload haproxy, stateFile: /var/lib/haproxy/shop.json }
`;
    const twoApps = (edits: readonly (readonly [string, string])[]) =>
      edits.reduce((text, [from, to]) => {
        assert.ok(text.includes(from), `the two apps lack ${from}`);
        return text.replace(from, to);
      }, valid + SHOP);

    /** The line and column of `value` on the first line holding `marker`. */
    function place(text: string, [marker, value]: readonly [string, string]): [number, number] {
      const lines = text.split('\n');
      const n = lines.findIndex((l) => l.includes(marker));
      assert.ok(n >= 0 && lines[n].includes(value), `no line with ${marker} and ${value}`);
      return [n + 1, lines[n].indexOf(value) + 1];
    }

    const onJwa = '{ ssh: jwa, backend: shop_blue';
    const onJws = '{ ssh: jws, backend: shop_blue';
    const refused: {
      name: string;
      edits: [string, string][];
      /** Where the problem is reported: a marker of its line and the value. */
      at: [string, string];
      /** The place the message names: its path, a marker of its line and the value. */
      first: [string, string, string];
      says: RegExp;
      /** The same edits, then these: accepted. */
      acceptedWith?: [string, string][];
    }[] = [
      {
        name: "another app's checkout, written with a trailing slash",
        edits: [['dir: /opt/shop, pm2: shop-blue', 'dir: /opt/demo/, pm2: shop-blue']],
        at: ['shop_blue', '/opt/demo/'],
        first: ['apps[0].slots.blue.dir', 'demo_blue', '/opt/demo'],
        says: /^apps\[1\]\.slots\.blue\.dir is the checkout of app "demo"'s blue slot \(.*\): both are jwa:\/opt\/demo\. A deploy of "shop" would rebuild "demo"'s blue slot, which may be LIVE; give each app its own dir or host$/,
        acceptedWith: [[onJwa, onJws]],
      },
      {
        name: "another app's checkout as /opt//demo, in the other slot",
        edits: [['dir: /opt/shop, pm2: shop }', 'dir: /opt//demo, pm2: shop }']],
        at: ['shop_green', '/opt//demo'],
        first: ['apps[0].slots.green.dir', 'demo_green', '/opt/demo'],
        says: /both are deploy@10\.92\.3\.24:2222:\/opt\/demo\. A deploy of "shop" would rebuild "demo"'s green slot/,
        acceptedWith: [['{ ssh: deploy@10.92.3.24:2222, backend: shop_green', '{ ssh: deploy@10.92.3.25:2222, backend: shop_green']],
      },
      {
        name: "another app's checkout as /opt/x/../demo",
        edits: [['dir: /opt/shop, pm2: shop-blue', 'dir: /opt/x/../demo, pm2: shop-blue']],
        at: ['shop_blue', '/opt/x/../demo'],
        first: ['apps[0].slots.blue.dir', 'demo_blue', '/opt/demo'],
        says: /is the checkout of app "demo"'s blue slot/,
        acceptedWith: [[onJwa, onJws]],
      },
      {
        name: "another app's pm2 process on the same host",
        edits: [['pm2: shop-blue', 'pm2: demo-blue']],
        at: ['shop_blue', 'demo-blue'],
        first: ['apps[0].slots.blue.pm2', 'demo_blue', 'demo-blue'],
        says: /^apps\[1\]\.slots\.blue\.pm2 is the pm2 process of app "demo"'s blue slot \(.*\): both are "demo-blue" on jwa\. A deploy of "shop" would restart "demo"'s blue slot, which may be LIVE; give each app its own pm2 name$/,
        acceptedWith: [[onJwa, onJws]],
      },
      {
        name: "another app's url, written with a trailing slash",
        edits: [['url: "http://10.92.3.22:3002"', 'url: "http://10.92.3.24:3001/"']],
        at: ['shop_blue', '"http://10.92.3.24:3001/"'],
        first: ['apps[0].slots.green.url', 'demo_green', '"http://10.92.3.24:3001"'],
        says: /^apps\[1\]\.slots\.blue\.url is the address of app "demo"'s green slot \(.*\): both are http:\/\/10\.92\.3\.24:3001\. Health checks of "shop" would be answered by "demo"'s green slot; give each app its own url$/,
      },
      {
        name: "another app's url, with and without the default port",
        edits: [
          ['url: "http://10.92.3.22:3001"', 'url: "http://10.92.3.22:80/"'],
          ['url: "http://10.92.3.22:3002"', 'url: "http://10.92.3.22"'],
        ],
        at: ['shop_blue', '"http://10.92.3.22"'],
        first: ['apps[0].slots.blue.url', 'demo_blue', '"http://10.92.3.22:80/"'],
        says: /both are http:\/\/10\.92\.3\.22\./,
      },
      {
        name: "another app's url, with a user name in it",
        edits: [['url: "http://10.92.3.22:3002"', 'url: "http://shop@10.92.3.24:3001"']],
        at: ['shop_blue', '"http://shop@10.92.3.24:3001"'],
        first: ['apps[0].slots.green.url', 'demo_green', '"http://10.92.3.24:3001"'],
        says: /both are http:\/\/10\.92\.3\.24:3001\./,
      },
      {
        name: "a listed server on another app's checkout, and a slot's pm2 that is another app's on one of its servers",
        edits: [
          [
            '      green: { ssh: deploy@10.92.3.24:2222, backend: shop_green, url: "http://10.92.3.24:3002", dir: /opt/shop, pm2: shop }\n',
            '      green:\n        backend: shop_green\n        dir: /opt/shop\n        pm2: demo-blue\n        servers:\n          - { name: s1, ssh: jws, url: "http://10.92.3.25:3002" }\n          - { name: s2, ssh: jwa, url: "http://10.92.3.22:3003", dir: /opt/demo }\n',
          ],
        ],
        at: ['name: s2', '/opt/demo'],
        first: ['apps[0].slots.blue.dir', 'demo_blue', '/opt/demo'],
        says: /^apps\[1\]\.slots\.green\.servers\[1\]\.dir is the checkout of app "demo"'s blue slot/,
      },
      {
        name: "the slot's pm2 that its server on demo's host inherits",
        edits: [
          [
            '      green: { ssh: deploy@10.92.3.24:2222, backend: shop_green, url: "http://10.92.3.24:3002", dir: /opt/shop, pm2: shop }\n',
            '      green:\n        backend: shop_green\n        dir: /opt/shop\n        pm2: demo-blue\n        servers:\n          - { name: s1, ssh: jws, url: "http://10.92.3.25:3002" }\n          - { name: s2, ssh: jwa, url: "http://10.92.3.22:3003" }\n',
          ],
        ],
        at: ['        pm2: demo-blue', 'demo-blue'],
        first: ['apps[0].slots.blue.pm2', 'demo_blue', 'demo-blue'],
        says: /^apps\[1\]\.slots\.green\.pm2 is the pm2 process of app "demo"'s blue slot/,
      },
      {
        name: 'an app copied whole with a merge key: reported at the alias that copied it',
        edits: [
          ['  - name: demo\n', '  - &demo\n    name: demo\n'],
          [SHOP, SHOP_COPIED],
        ],
        at: ['<<: *demo', '*demo'],
        first: ['apps[0].slots.blue.dir', 'demo_blue', '/opt/demo'],
        says: /^apps\[1\]\.slots\.blue\.dir is the checkout of app "demo"'s blue slot/,
      },
      {
        name: "a slot copied with a merge key, its dir another app's with a trailing slash",
        edits: [
          ['  - name: demo\n', '  - &demo\n    name: demo\n'],
          [SHOP, `${SHOP_COPIED}    slots:\n      blue: { <<: *demoBlue, backend: shop_blue, url: "http://10.92.3.22:3002", dir: /opt/demo/, pm2: shop-blue }\n      green: { ssh: jws, backend: shop_green, url: "http://10.92.3.25:3002", dir: /opt/shop, pm2: shop }\n`],
          ['blue:  { ssh: jwa, backend: demo_blue', 'blue:  &demoBlue { ssh: jwa, backend: demo_blue'],
        ],
        at: ['shop_blue', '/opt/demo/'],
        first: ['apps[0].slots.blue.dir', 'demo_blue', '/opt/demo'],
        says: /^apps\[1\]\.slots\.blue\.dir is the checkout of app "demo"'s blue slot/,
      },
      {
        name: 'a slot copied with a merge key, its dir copied too: reported at the alias',
        edits: [
          [SHOP, SHOP.replace('blue:  { ssh: jwa, backend: shop_blue, url: "http://10.92.3.22:3002", dir: /opt/shop, pm2: shop-blue }', 'blue:  { <<: *demoBlue, backend: shop_blue, url: "http://10.92.3.22:3002", pm2: shop-blue }')],
          ['blue:  { ssh: jwa, backend: demo_blue', 'blue:  &demoBlue { ssh: jwa, backend: demo_blue'],
        ],
        at: ['shop_blue', '*demoBlue'],
        first: ['apps[0].slots.blue.dir', 'demo_blue', '/opt/demo'],
        says: /^apps\[1\]\.slots\.blue\.dir is the checkout of app "demo"'s blue slot/,
      },
      {
        name: 'blue and green of one app (as before), naming where blue has it',
        edits: [['{ ssh: deploy@10.92.3.24:2222, backend: demo_green', '{ ssh: jwa, backend: demo_green']],
        at: ['demo_green', '/opt/demo'],
        first: ['apps[0].slots.blue.dir', 'demo_blue', '/opt/demo'],
        says: /^blue and green share jwa:\/opt\/demo; blue's is .*, and a deploy to STANDBY would change LIVE\. Give each slot its own host or dir$/,
      },
    ];

    for (const row of refused) {
      it(`refuses ${row.name}, with the line:col of both${row.acceptedWith ? '; accepts it on another host' : ''}`, () => {
        const text = twoApps(row.edits);
        const [firstPath, ...firstPlace] = row.first;
        const [line, col] = place(text, firstPlace as [string, string]);
        const names = `${firstPath} at line ${line}:${col}`;
        const problems = problemsOf(text);
        const problem = problems.find((p) => p.message.includes(names));
        assert.ok(problem, `no problem names ${names}: ${JSON.stringify(problems)}`);
        assert.deepEqual([problem.line, problem.col], place(text, row.at), problem.message);
        assert.match(problem.message, row.says);
        if (row.acceptedWith) assert.equal(parseConfig(twoApps([...row.edits, ...row.acceptedWith]), FILE).apps.length, 2);
      });
    }

    describe('one machine, however its host is written: host in any case, port 22 unless written, the user aside, ssh_config aliases resolved', () => {
      const demoBlue = '{ ssh: jwa, backend: demo_blue';
      const shopBlue = '{ ssh: jwa, backend: shop_blue';
      const demoGreen = '{ ssh: deploy@10.92.3.24:2222, backend: demo_green';
      /** demo's blue on `demo`, shop's blue on `shop`, with demo's checkout or pm2 process. */
      const onHosts = (demo: string, shop: string, shared: 'dir' | 'pm2'): [string, string][] => [
        [demoBlue, `{ ssh: "${demo}", backend: demo_blue`],
        [shopBlue, `{ ssh: "${shop}", backend: shop_blue`],
        shared === 'dir' ? ['dir: /opt/shop, pm2: shop-blue', 'dir: /opt/demo, pm2: shop-blue'] : ['pm2: shop-blue', 'pm2: demo-blue'],
      ];
      const rows: {
        name: string;
        edits: [string, string][];
        /** ssh_config: named by bluegreen.yaml's ssh.config, or the user's own. */
        sshConfig?: { text: string; as: 'named' | 'default' };
        /** The problem's message, or undefined when the config is accepted. */
        says?: RegExp;
      }[] = [
        { name: 'a port of 22 written or not', edits: onHosts('deploy@10.0.0.1', 'deploy@10.0.0.1:22', 'dir'), says: /^apps\[1\]\.slots\.blue\.dir is the checkout of app "demo"'s blue slot \(.*\): both are \/opt\/demo on deploy@10\.0\.0\.1 and deploy@10\.0\.0\.1:22, one machine \(10\.0\.0\.1:22\)\. A deploy of "shop"/ },
        { name: 'a host name in another case', edits: onHosts('App1.internal', 'app1.internal', 'dir'), says: /both are \/opt\/demo on App1\.internal and app1\.internal, one machine \(app1\.internal:22\)/ },
        { name: 'another user on the machine, one checkout', edits: onHosts('deploy@10.0.0.9', 'root@10.0.0.9', 'dir'), says: /both are \/opt\/demo on deploy@10\.0\.0\.9 and root@10\.0\.0\.9, one machine \(10\.0\.0\.9:22\)/ },
        { name: 'an alias of the ssh config bluegreen.yaml names', edits: onHosts('web1', 'deploy@10.0.0.1', 'dir'), sshConfig: { text: 'Host web1\n  HostName 10.0.0.1\n  User deploy\n', as: 'named' }, says: /both are \/opt\/demo on web1 and deploy@10\.0\.0\.1, one machine \(10\.0\.0\.1:22\)/ },
        { name: "an alias of the user's own ssh config", edits: onHosts('web1', 'deploy@10.0.0.1', 'dir'), sshConfig: { text: 'Host web1\n  HostName 10.0.0.1\n', as: 'default' }, says: /one machine \(10\.0\.0\.1:22\)/ },
        { name: 'an alias whose HostName names the host with %h', edits: onHosts('web1', 'deploy@WEB1.internal', 'dir'), sshConfig: { text: 'Host web*\n  HostName %h.internal\n', as: 'named' }, says: /one machine \(web1\.internal:22\)/ },
        { name: 'a pm2 process, the port written once', edits: onHosts('deploy@10.0.0.1', 'deploy@10.0.0.1:22', 'pm2'), says: /^apps\[1\]\.slots\.blue\.pm2 is the pm2 process of app "demo"'s blue slot \(.*\): both are "demo-blue" on deploy@10\.0\.0\.1 and deploy@10\.0\.0\.1:22, one machine \(10\.0\.0\.1:22\)\./ },
        { name: "a pm2 process, the alias's User the user written", edits: onHosts('web1', 'deploy@10.0.0.1', 'pm2'), sshConfig: { text: 'Host web1\n  HostName 10.0.0.1\n  User deploy\n', as: 'named' }, says: /both are "demo-blue" on web1 and deploy@10\.0\.0\.1, one machine/ },
        {
          name: "blue and green of one app, the port written once",
          edits: [[demoBlue, '{ ssh: deploy@10.0.0.1, backend: demo_blue'], [demoGreen, '{ ssh: deploy@10.0.0.1:22, backend: demo_green']],
          says: /^blue and green share \/opt\/demo on deploy@10\.0\.0\.1 and deploy@10\.0\.0\.1:22, one machine \(10\.0\.0\.1:22\); blue's is .*, and a deploy to STANDBY would change LIVE/,
        },
        // Other machines: two sshd ports on one host are containers, each with its own files and processes.
        { name: 'two ports of one host', edits: onHosts('deploy@10.0.0.1:2222', 'deploy@10.0.0.1:2223', 'dir') },
        { name: 'an alias with a Port of its own', edits: onHosts('web1', 'deploy@10.0.0.1', 'dir'), sshConfig: { text: 'Host web1\n  HostName 10.0.0.1\n  Port 2222\n', as: 'named' } },
        { name: 'an alias of another host', edits: onHosts('web1', 'deploy@10.0.0.1', 'dir'), sshConfig: { text: 'Host web1\n  HostName 10.0.0.2\n', as: 'default' } },
        { name: 'an alias no ssh config knows', edits: onHosts('web1', 'deploy@10.0.0.1', 'dir') },
        // Each user has a pm2 of its own: deploy's and root's "demo-blue" are two processes.
        { name: "a pm2 name another user's pm2 runs", edits: onHosts('deploy@10.0.0.9', 'root@10.0.0.9', 'pm2') },
        {
          name: 'blue and green on two ports of one host',
          edits: [[demoBlue, '{ ssh: deploy@10.0.0.1:2222, backend: demo_blue'], [demoGreen, '{ ssh: deploy@10.0.0.1:2223, backend: demo_green']],
        },
      ];
      for (const row of rows) {
        it(`${row.says ? 'refuses' : 'accepts'} ${row.name}`, () => {
          let text = twoApps(row.edits);
          if (row.sshConfig?.as === 'named') {
            writeFileSync(path.join(home(), 'ssh_config'), row.sshConfig.text);
            text = `ssh:\n  config: ${path.join(home(), 'ssh_config')}\n${text}`;
          } else if (row.sshConfig) {
            mkdirSync(path.join(home(), '.ssh'));
            writeFileSync(path.join(home(), '.ssh', 'config'), row.sshConfig.text);
          }
          if (!row.says) return assert.equal(parseConfig(text, FILE).apps.length, 2);
          const messages = problemsOf(text).map((p) => p.message);
          assert.ok(messages.some((m) => row.says!.test(m)), messages.join('\n'));
        });
      }
    });
  });
  });
});
