import * as assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config/load';
import { diagnose, Finding, withAdditions } from '../../src/core/haproxy/doctor';
import { parseShowProc } from '../../src/core/haproxy/masterCli';

/** A well-set user names the stats socket in bluegreen.yaml too. */
const app = (extra = '      statsSocket: /run/haproxy/admin.sock\n') =>
  parseConfig(
    `version: 1\napps:\n  - name: demo\n    loadBalancer:\n      ssh: lb\n      config: /etc/haproxy/haproxy.cfg\n      frontend: demo\n      reload: "true"\n      stateFile: /var/lib/bg/state.json\n${extra}    slots:\n      blue:  { ssh: a, backend: demo_blue, url: "http://10.0.0.1:3001", dir: /opt/demo, pm2: demo-blue }\n      green: { ssh: b, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo-green }\n    health: { path: /api/health }\n`,
    '/tmp/bluegreen.yaml',
  ).apps[0];

// The way the system this replaces has it: master-worker, but no idle-close, no hard-stop-after, no stats socket.
const AS_FOUND = `global
\tlog /dev/log local0
\tmaster-worker

defaults
\tmode http
\ttimeout client 30s

frontend demo
\tbind :80
\tdefault_backend demo_blue

backend demo_blue
\tserver blue 10.0.0.1:3001 check

backend demo_green
\toption httpchk GET /health
\tserver green 10.0.0.2:3001
`;

const WELL_SET = `global
    master-worker
    hard-stop-after 30m
    stats socket /run/haproxy/admin.sock mode 600 level admin

defaults
    mode http
    option idle-close-on-response

frontend demo
    bind :80
    default_backend demo_blue

backend demo_blue
    option httpchk GET /api/health
    server blue 10.0.0.1:3001 check

backend demo_green
    option httpchk GET /api/health
    server green 10.0.0.2:3001 check
`;

const problems = (fs: Finding[]) => fs.filter((f) => f.severity !== 'info').map((f) => f.id);

describe('HAProxy doctor', () => {
  it('finds nothing wrong in a well-set load balancer, and states the version', () => {
    const fs = diagnose({ config: WELL_SET, app: app(), version: '2.6.12-1', masterWorkerFlag: true });
    assert.deepEqual(problems(fs), []);
    assert.deepEqual(fs.map((f) => f.title), ['HAProxy 2.6.12-1']);
  });

  it('names each problem of a load balancer as found in the field, with why and the fix', () => {
    const fs = diagnose({ config: AS_FOUND, app: app(), version: '2.6.12', masterWorkerFlag: false });
    assert.deepEqual(problems(fs), ['idle-close', 'hard-stop-after', 'stats-socket', 'httpchk', 'no-check', 'httpchk']);
    const idle = fs.find((f) => f.id === 'idle-close')!;
    assert.match(idle.why, /resets the keep-alive connections/);
    assert.deepEqual(idle.fix, { after: 8, lines: ['\toption idle-close-on-response'] });
    assert.deepEqual(fs.find((f) => f.id === 'hard-stop-after')!.fix, { after: 0, lines: ['\thard-stop-after 30m'] });
    assert.match(fs.find((f) => f.id === 'no-check')!.title, /demo_green.*line 18/);
    assert.deepEqual(fs.filter((f) => f.id === 'httpchk').map((f) => f.title), ['backend "demo_blue" checks only that the port opens', 'backend "demo_green" checks /health, not /api/health']);
  });

  it('fixes by adding lines only: every other byte stays, tabs and CRLF kept', () => {
    const fixes = diagnose({ config: AS_FOUND, app: app(), version: '2.6.12' }).flatMap((f) => (f.fix ? [f.fix] : []));
    const fixed = withAdditions(AS_FOUND, fixes);
    const added = fixed.split('\n').filter((l) => !AS_FOUND.split('\n').includes(l));
    assert.deepEqual(added, ['\thard-stop-after 30m', '\tstats socket /run/haproxy/admin.sock mode 600 level admin', '\toption idle-close-on-response', '\toption httpchk GET /api/health']);
    assert.equal(fixed.split('\n').filter((l) => !added.includes(l)).join('\n'), AS_FOUND);
    assert.deepEqual(problems(diagnose({ config: fixed, app: app(), version: '2.6.12' })), ['no-check', 'httpchk'], 'only what needs a hand is left');
    const crlf = AS_FOUND.replace(/\n/g, '\r\n');
    const fixedCrlf = withAdditions(crlf, diagnose({ config: crlf, app: app() }).flatMap((f) => (f.fix ? [f.fix] : [])));
    assert.ok(fixedCrlf.split('\n').every((l, i, all) => i === all.length - 1 || l.endsWith('\r')), 'a line without its CR');
  });

  it('gives the lines by hand, changing nothing, where a fix cannot be placed safely', () => {
    const twice = `${AS_FOUND}\nfrontend demo\n\tbind :81\n\tdefault_backend demo_green\n`;
    const fs = diagnose({ config: twice, app: app() });
    assert.match(fs.find((f) => f.id === 'frontend')!.why, /declared 2 times/);
    assert.ok(!fs.some((f) => f.id === 'idle-close'), 'a fix placed into one of two frontends');
    const included = diagnose({ config: AS_FOUND, app: app(), otherFiles: true });
    assert.ok(included.every((f) => !f.fix));
    assert.match(included.find((f) => f.id === 'idle-close')!.byHand ?? '', /option idle-close-on-response .*HAProxy loads other files too/);
    const off = diagnose({ config: WELL_SET.replace('    bind :80', '    bind :80\n    no option idle-close-on-response'), app: app() });
    assert.deepEqual(off.find((f) => f.id === 'idle-close')?.byHand, 'remove "no option idle-close-on-response" at line 12');
    const old = diagnose({ config: AS_FOUND, app: app(), version: '2.4.22' }).find((f) => f.id === 'idle-close')!;
    assert.equal(old.fix, undefined);
    assert.match(old.byHand ?? '', /upgrade HAProxy to 2\.6/);
  });

  it('knows master-worker from the command line or the config, and what else it needs', () => {
    assert.deepEqual(problems(diagnose({ config: WELL_SET.replace('    master-worker\n', ''), app: app(), masterWorkerFlag: true })), []);
    const unused = diagnose({ config: WELL_SET, app: app(''), masterWorkerFlag: true });
    assert.deepEqual(problems(unused), ['stats-unused'], 'a socket HAProxy has and bluegreen.yaml does not name');
    assert.match(unused.find((f) => f.id === 'stats-unused')!.byHand ?? '', /add "statsSocket: \/run\/haproxy\/admin.sock" under loadBalancer/);
    assert.deepEqual(problems(diagnose({ config: WELL_SET.replace('    master-worker\n', ''), app: app(), masterWorkerFlag: false })), ['master-worker', 'expose-fd']);
    const notAdmin = diagnose({ config: WELL_SET.replace(' level admin', ''), app: app('      statsSocket: /var/run/other.sock\n'), masterWorkerFlag: true });
    assert.deepEqual(problems(notAdmin), ['stats-level', 'stats-path']);
    const missing = diagnose({ config: WELL_SET.replace(/backend demo_green[^]*$/, ''), app: app() });
    assert.deepEqual(problems(missing), ['backend-missing']);
  });
});

describe('HAProxy master CLI', () => {
  it('reads the current and the old workers from show proc', () => {
    const text = `#<PID>          <type>          <reloads>       <uptime>        <version>
12330           master          2 [failed: 0]   0d00h00m06s     2.6.12-1+deb12u4
# workers
12371           worker          0               0d00h00m01s     2.6.12-1+deb12u4
# old workers
12339           worker          1               0d00h00m06s     2.6.12-1+deb12u4
# programs
`;
    assert.deepEqual(parseShowProc(text), { workers: [{ pid: 12371, reloads: 0, uptime: '0d00h00m01s' }], oldWorkers: [{ pid: 12339, reloads: 1, uptime: '0d00h00m06s' }] });
  });
});
