import * as assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config/load';
import { GATES } from '../../src/core/plan/gates';
import { overridden, preflight, refusalOf, shownFindings, typedSlot } from '../../src/core/plan/preflight';
import { asAgentText, asTerminalText, canaryConfirmation, deployConfirmation, migrationsConfirmation, switchConfirmation, syncConfirmation } from '../../src/core/plan/render';
import { Evidence, OperationKind } from '../../src/core/plan/types';
import { AppSnapshot, SlotSnapshot } from '../../src/core/status/snapshot';
import { redact } from '../../src/core/redact';

const CONFIG = parseConfig(
  `version: 1
apps:
  - name: demo
    loadBalancer:
      ssh: haproxy
      config: /etc/haproxy/haproxy.cfg
      frontend: web
      reload: systemctl reload haproxy
      stateFile: /var/lib/haproxy/demo.json
    slots:
      blue:  { ssh: jwa, backend: demo_blue,  url: "http://10.0.0.1:3001", dir: /opt/demo, pm2: demo-blue }
      green: { ssh: jwg, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo-green }
`,
  '/work/bluegreen.yaml',
).apps[0];

function slot(name: 'blue' | 'green', s: Partial<SlotSnapshot> = {}): SlotSnapshot {
  const base = { host: name === 'blue' ? 'jwa' : 'jwg', url: `http://${name}:3001`, reachable: true, health: 'up' as const, version: name === 'blue' ? '1.1.0' : '1.2.0', commit: (name === 'blue' ? 'a' : 'b').repeat(40) };
  return { ...base, name, role: name === 'blue' ? 'LIVE' : 'STANDBY', servers: [{ ...base, server: base.host }], ...s };
}

/** BLUE LIVE, GREEN a healthy, newer STANDBY: every gate passes. */
function healthy(): AppSnapshot {
  const lb: AppSnapshot['lb'] = { host: 'haproxy', reachable: true, frontend: 'web', backend: 'demo_blue', routesTo: 'blue', routingLine: 12, state: { file: '/s', status: 'ok', live: 'blue', standby: 'green', history: [] } };
  return { name: 'demo', live: 'blue', standby: 'green', lb, lbs: [lb], slots: { blue: slot('blue'), green: slot('green') }, drift: [] };
}

function withLb(app: AppSnapshot, lb: Partial<AppSnapshot['lb']>): AppSnapshot {
  const next = { ...app.lb, ...lb };
  return { ...app, lb: next, lbs: [next] };
}

const UNSAFE: Evidence = {
  migrations: {
    report: { checker: 'the built-in check', files: [{ path: 'migrations/2_drop.sql', added: true, unsafe: [{ line: 1, operation: 'DROP COLUMN', text: 'ALTER TABLE users DROP COLUMN email;' }] }] },
    lines: ['Migrations changed (1, checked by the built-in check): migrations/2_drop.sql', '⚠ 1 statement(s) break a rollback to BLUE v1.1.0 while both slots share one database:', '  migrations/2_drop.sql:1 DROP COLUMN — ALTER TABLE users DROP COLUMN email;'],
  },
};

describe('preflight: every gate judged once, from one table', () => {
  it('names each gate once in the table', () => {
    const ids = GATES.map((g) => g.id);
    assert.deepEqual([...new Set(ids)], ids);
  });

  it('lets a release of a healthy, newer STANDBY go ahead with nothing to warn about', () => {
    const plan = preflight(healthy(), CONFIG, { kind: 'release' });
    assert.equal(refusalOf(plan), undefined);
    assert.deepEqual(plan.findings, []);
    assert.equal(plan.live, 'blue');
    assert.equal(plan.target, 'green');
    assert.equal(typedSlot(plan), undefined);
  });

  it('refuses every operation, emergency included, when LIVE cannot be told', () => {
    const unknown = { ...withLb(healthy(), { reachable: false, error: 'connection refused', backend: undefined, routesTo: undefined }), live: undefined, standby: undefined };
    for (const kind of ['release', 'rollback', 'canary', 'end-canary', 'deploy', 'sync', 'fix-lb', 'reconcile'] as OperationKind[]) {
      const refusal = refusalOf(preflight(unknown, CONFIG, { kind, emergency: true }));
      assert.equal(refusal?.gate, 'live-known', kind);
      assert.match(refusal.sentence, /cannot tell which slot is LIVE \(connection refused\)/);
      assert.equal(refusal.emergencyPasses, false);
    }
  });

  it('refuses a split of traffic even in an emergency, and for a deploy', () => {
    const split = withLb(healthy(), { strayRoutes: [{ line: 14, text: 'use_backend demo_green if { path_beg /beta }', section: 'web' }] });
    for (const intent of [{ kind: 'release' as const, emergency: true }, { kind: 'deploy' as const }, { kind: 'canary' as const, percent: 10 }]) {
      const refusal = refusalOf(preflight(split, CONFIG, intent));
      assert.equal(refusal?.gate, 'traffic-split', intent.kind);
      assert.match(refusal.sentence, /traffic is split: besides its routing line 12/);
    }
  });

  it('refuses an unhealthy STANDBY; an emergency goes past it, says so, and must be typed', () => {
    const sick = healthy();
    sick.slots.green = slot('green', { health: 'down', healthDetail: 'HTTP 503' });
    const refused = refusalOf(preflight(sick, CONFIG, { kind: 'release' }));
    assert.equal(refused?.gate, 'standby-health');
    assert.equal(refused.sentence, 'STANDBY GREEN is not healthy (HTTP 503); traffic stays on BLUE');
    assert.equal(refusalOf(preflight(sick, CONFIG, { kind: 'canary', percent: 5 }))?.sentence, 'STANDBY GREEN is not healthy (HTTP 503); no client is sent to it');
    const emergency = preflight(sick, CONFIG, { kind: 'release', emergency: true });
    assert.equal(refusalOf(emergency), undefined);
    assert.deepEqual(
      shownFindings(emergency).map((f) => [f.gate, f.severity, f.sentence]),
      [['standby-health', 'warn', '⚠ STANDBY GREEN is NOT healthy: HTTP 503.']],
    );
    assert.equal(typedSlot(emergency), 'GREEN');
  });

  it('records failing smoke tests gone past by an emergency, and refuses them otherwise', () => {
    const failing = healthy();
    failing.slots.green = slot('green', { smoke: [{ name: 'home', ok: false, detail: 'HTTP 500, expected 200' }] });
    assert.equal(refusalOf(preflight(failing, CONFIG, { kind: 'release' }))?.gate, 'smoke');
    const emergency = preflight(failing, CONFIG, { kind: 'release', emergency: true });
    assert.match(overridden(emergency) ?? '', /home/);
  });

  it('keeps deploys off LIVE, off a watched release\'s fallback and off a canary', () => {
    assert.equal(refusalOf(preflight(healthy(), CONFIG, { kind: 'deploy', target: 'blue' }))?.sentence, 'BLUE is LIVE; deploys go to the STANDBY slot (GREEN) only');
    const watched = healthy();
    watched.lb.state.watch = { slot: 'blue', until: new Date(Date.now() + 60_000).toISOString(), by: redact('ann@laptop'), since: new Date().toISOString() };
    assert.equal(refusalOf(preflight(watched, CONFIG, { kind: 'sync' }))?.gate, 'watch-running');
    const canary = withLb(healthy(), { canary: { percent: 10, key: 'src', line: 13, backend: 'demo_green', slot: 'green' } });
    assert.equal(refusalOf(preflight(canary, CONFIG, { kind: 'deploy' }))?.gate, 'canary-on-standby');
  });

  it('judges migrations that break a rollback by the policy: typed, refused, or allowed and recorded', () => {
    const ask = preflight(healthy(), CONFIG, { kind: 'release' }, UNSAFE);
    assert.equal(typedSlot(ask), 'GREEN');
    assert.match(overridden(ask) ?? '', /1 migration statement\(s\) that break a rollback/);
    const refuse = refusalOf(preflight(healthy(), CONFIG, { kind: 'release', unsafeMigrations: 'refuse' }, UNSAFE));
    assert.equal(refuse?.gate, 'migrations');
    assert.match(refuse.sentence, /break a rollback to BLUE v1\.1\.0 .*--allow-unsafe-migrations/);
    const allow = preflight(healthy(), CONFIG, { kind: 'release', unsafeMigrations: 'allow' }, UNSAFE);
    assert.equal(typedSlot(allow), undefined);
    assert.ok(overridden(allow));
    // A rollback goes back to older code: migrations are not its gate.
    assert.deepEqual(preflight(healthy(), CONFIG, { kind: 'rollback' }, UNSAFE).findings, []);
  });
});

describe('preflight: what an adversarial review of the table found', () => {
  it("refuses to deploy, sync or start a canary when HAProxy's count says users reach STANDBY, whatever the config reads", () => {
    const reached = { ...healthy(), drift: [{ kind: 'traffic-reaches-standby' as const, message: 'traffic reaches STANDBY GREEN, though the config routes frontend "web" to the other slot: 12 sessions in 1 s (legacy/old 12, counted by HAProxy)' }] };
    for (const kind of ['deploy', 'sync', 'canary'] as const) {
      assert.match(refusalOf(preflight(reached, CONFIG, { kind, percent: 10 }))?.sentence ?? '', /traffic reaches STANDBY GREEN/, kind);
    }
    assert.equal(preflight(reached, CONFIG, { kind: 'release' }).findings.find((f) => f.gate === 'traffic-reaches-standby'), undefined, 'a release moves users to STANDBY anyway');
  });

  const pair = (second: Partial<AppSnapshot['lb']>): AppSnapshot => {
    const app = healthy();
    return { ...app, lbs: [app.lb, { ...app.lb, host: 'haproxy2', ...second }] };
  };

  it('refuses to end a canary while traffic is split, the pair disagrees, or the routing cannot be rewritten', () => {
    const canary = { percent: 10, key: 'src', line: 13, backend: 'demo_green', slot: 'green' as const };
    const split = withLb(healthy(), { canary, strayRoutes: [{ line: 14, text: 'use_backend demo_green if { path_beg /beta }', section: 'web' }] });
    assert.equal(refusalOf(preflight(split, CONFIG, { kind: 'end-canary' }))?.gate, 'traffic-split');
    const disagree = pair({ backend: 'demo_green', routesTo: 'green' });
    disagree.lb.canary = canary;
    assert.equal(refusalOf(preflight(disagree, CONFIG, { kind: 'end-canary' }))?.gate, 'lbs-disagree');
    const inherited = withLb(healthy(), { canary, notSwitchable: 'the routing comes from a defaults section' });
    assert.equal(refusalOf(preflight(inherited, CONFIG, { kind: 'end-canary' }))?.gate, 'not-switchable');
  });

  it('has a canary with migrations that break a rollback typed, even with --allow-unsafe-migrations', () => {
    assert.equal(typedSlot(preflight(healthy(), CONFIG, { kind: 'canary', percent: 10, unsafeMigrations: 'allow' }, UNSAFE)), 'GREEN');
  });

  it('gives only a switch of all traffic an emergency form', () => {
    const sick = healthy();
    sick.slots.green = slot('green', { health: 'down', healthDetail: 'HTTP 503' });
    assert.equal(refusalOf(preflight(sick, CONFIG, { kind: 'canary', percent: 10, emergency: true }))?.gate, 'standby-health');
    assert.equal(refusalOf(preflight(pair({ backend: 'demo_green', routesTo: 'green' }), CONFIG, { kind: 'deploy', emergency: true }))?.gate, 'lbs-disagree');
  });

  it('keeps a deploy off a STANDBY that any LB of a pair sends canary clients to, or watches for', () => {
    const canaryOnSecond = pair({ canary: { percent: 10, key: 'src', line: 13, backend: 'demo_green', slot: 'green' } });
    assert.equal(refusalOf(preflight(canaryOnSecond, CONFIG, { kind: 'deploy' }))?.gate, 'canary-on-standby');
    const watchOnSecond = pair({ state: { ...healthy().lb.state, watch: { slot: 'blue', until: new Date(Date.now() + 60_000).toISOString(), by: redact('ann@laptop'), since: new Date().toISOString() } } });
    assert.equal(refusalOf(preflight(watchOnSecond, CONFIG, { kind: 'sync' }))?.gate, 'watch-running');
  });
});

describe('one plan, rendered for each medium', () => {
  it('names the same gates, slots and commits in the dialog, the terminal and the agent\'s message', () => {
    const snap = healthy();
    snap.slots.green = slot('green', { version: '1.0.0', health: 'down', healthDetail: 'timeout' });
    const plan = preflight(snap, CONFIG, { kind: 'release', emergency: true }, { ...UNSAFE, commits: ['bbbbbbb Drop the email column', 'ccccccc Faster home page'] });
    const dialog = switchConfirmation(plan);
    const texts = { dialog: `${dialog.title}\n${dialog.detail}`, terminal: asTerminalText(dialog), agent: asAgentText(dialog) };
    const gates = shownFindings(plan);
    assert.deepEqual(
      gates.map((f) => f.gate),
      ['not-newer', 'standby-health', 'migrations'],
    );
    for (const [medium, text] of Object.entries(texts)) {
      for (const f of gates) for (const line of f.sentence.split('\n')) assert.ok(text.includes(line.trim()), `${medium} says ${line}`);
      for (const name of ['BLUE', 'GREEN', 'aaaaaaa', 'bbbbbbb', 'bbbbbbb Drop the email column', 'ccccccc Faster home page']) assert.ok(text.includes(name), `${medium} names ${name}`);
    }
    assert.equal(dialog.typeToConfirm, 'GREEN');
    assert.equal(dialog.typeReason, 'Emergency release: health checks are skipped. Migrations break a rollback to BLUE');
    assert.equal(dialog.action, 'Emergency Switch');
  });

  it('asks for a canary with the share, how clients stick, and its migrations', () => {
    const plan = preflight(healthy(), CONFIG, { kind: 'canary', percent: 10 }, UNSAFE);
    const c = canaryConfirmation(plan, CONFIG);
    assert.equal(c.title, "Send 10% of demo's clients to GREEN (v1.2.0)?");
    assert.match(c.detail, /LIVE BLUE v1\.1\.0 keeps the other 90%/);
    assert.match(c.detail, /by a hash of its address/);
    assert.match(c.detail, /DROP COLUMN/);
    assert.equal(c.typeToConfirm, 'GREEN');
  });

  it('asks for a deploy, its migrations and a sync from the plan of STANDBY', () => {
    const deploy = deployConfirmation(preflight(healthy(), CONFIG, { kind: 'deploy', migrate: true }), CONFIG, 'origin/main');
    assert.equal(deploy.title, 'Deploy origin/main to GREEN (STANDBY)?');
    assert.match(deploy.detail, /GREEN now runs v1\.2\.0 at bbbbbbb; it will be rebuilt and restarted on jwg\.\nLIVE BLUE v1\.1\.0 is not touched\./);
    // With the commit read ahead: its id, version and git's line for it, and when it is LIVE's own.
    const target = { commit: 'c'.repeat(40), oneLine: redact('ccccccc Faster home page (ann, 2 minutes ago)'), version: redact('1.3.0') };
    const aimed = deployConfirmation(preflight(healthy(), CONFIG, { kind: 'deploy' }), CONFIG, 'origin/main', target);
    assert.equal(aimed.title, 'Deploy origin/main (v1.3.0, ccccccc) to GREEN (STANDBY)?');
    assert.match(aimed.detail, /^It lands ccccccc Faster home page \(ann, 2 minutes ago\), version 1\.3\.0 in package\.json\.\n/);
    const livesOwn = deployConfirmation(preflight(healthy(), CONFIG, { kind: 'deploy' }), CONFIG, 'main', { commit: 'a'.repeat(40) });
    assert.equal(livesOwn.title, 'Deploy main (aaaaaaa) to GREEN (STANDBY)?');
    assert.match(livesOwn.detail, /^It lands aaaaaaa — the commit LIVE runs\./);
    const same = deployConfirmation(preflight(healthy(), CONFIG, { kind: 'deploy' }), CONFIG, 'main', { commit: 'b'.repeat(40) });
    assert.match(same.detail, /^It lands bbbbbbb — the commit GREEN runs now\./);
    const migrations = migrationsConfirmation(preflight(healthy(), CONFIG, { kind: 'deploy' }, UNSAFE), CONFIG);
    assert.match(migrations.detail, /DROP COLUMN/);
    assert.equal(migrations.typeToConfirm, 'GREEN');
    const sync = syncConfirmation(preflight(healthy(), CONFIG, { kind: 'sync' }));
    assert.equal(sync.title, "Sync GREEN (STANDBY) to LIVE's commit aaaaaaa?");
  });
});
