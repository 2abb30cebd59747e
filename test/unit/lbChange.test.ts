import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { AppConfig } from '../../src/core/config/types';
import { preApproved } from '../../src/core/plan/confirm';
import { preflight } from '../../src/core/plan/preflight';
import { AppSnapshot, SlotSnapshot } from '../../src/core/status/snapshot';
import { applyEach, changeOne, LbChange, readUnderLocks } from '../../src/core/workflows/parts/lbChange';
import { LbSwitch } from '../../src/core/workflows/parts/lbLocks';
import { WorkflowError } from '../../src/core/workflows/parts/operation';
import { LocalRunner } from './localRunner';
import { redact } from '../../src/core/redact';

const ROUTING = (backend: string, extra = '') => `defaults\n    mode http\n\nfrontend web\n    bind :80\n${extra}    default_backend ${backend}\n\nbackend demo_blue\n    server b 10.0.0.1:3001\nbackend demo_green\n    server g 10.0.0.2:3001\n`;

function app(dir: string, lb = 'lb1'): AppConfig {
  return parseConfig(
    `version: 1
apps:
  - name: demo
    loadBalancer:
      ssh: ${lb}
      config: ${dir}/haproxy.cfg
      frontend: web
      reload: touch ${dir}/reloaded
      validate: grep -q frontend {file}
      stateFile: ${dir}/demo.json
    slots:
      blue:  { ssh: jwa, backend: demo_blue,  url: "http://10.0.0.1:3001", dir: /opt/demo, pm2: demo-blue }
      green: { ssh: jwg, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo-green }
`,
    path.join(dir, 'bluegreen.yaml'),
  ).apps[0];
}

function slot(name: 'blue' | 'green'): SlotSnapshot {
  const base = { host: name === 'blue' ? 'jwa' : 'jwg', url: `http://${name}:3001`, reachable: true, health: 'up' as const, version: name === 'blue' ? '1.1.0' : '1.2.0', commit: (name === 'blue' ? 'a' : 'b').repeat(40) };
  return { ...base, name, role: name === 'blue' ? 'LIVE' : 'STANDBY', servers: [{ ...base, server: base.host }] };
}

/** BLUE LIVE on every LB, GREEN a healthy, newer STANDBY. */
function snapshot(lbs = ['lb1']): AppSnapshot {
  const lb = (host: string): AppSnapshot['lb'] => ({ host, reachable: true, frontend: 'web', backend: 'demo_blue', routesTo: 'blue', routingLine: 7, state: { file: '/s', status: 'ok', live: 'blue', standby: 'green', history: [] } });
  const all = lbs.map(lb);
  return { name: 'demo', live: 'blue', standby: 'green', lb: all[0], lbs: all, slots: { blue: slot('blue'), green: slot('green') }, drift: [] };
}

describe('the change pipeline: each LB read under its lock, judged again, changed, checked', () => {
  let dirs: string[];
  let said: string[];
  let runners: LocalRunner[];
  const lbDir = (config: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-lbchange-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'haproxy.cfg'), config);
    writeFileSync(path.join(dir, 'demo.json'), JSON.stringify({ prod: 'blue', live: 'blue', standby: 'green' }));
    return dir;
  };
  const target = (dir: string, o: { held?: boolean; signal?: AbortSignal; lb?: string } = {}): LbSwitch => ({
    ctx: {
      runner: runners[runners.push(new LocalRunner()) - 1],
      app: app(dir, o.lb),
      reporter: { step: () => undefined, line: () => undefined, stepDone: () => undefined, info: (t) => said.push(`info: ${t}`), warn: (t) => said.push(`warn: ${t}`) },
      confirm: preApproved(),
      who: redact('ann@ops'),
      signal: o.signal,
    },
    lock: { held: o.held ?? true, lost: new AbortController().signal, release: async () => undefined },
  });
  const toGreen = (o: Partial<LbChange> = {}): LbChange => ({
    title: (lb) => `Switch ${lb.ssh}`,
    edit: (config) => (config.includes('default_backend demo_green') ? undefined : config.replace('default_backend demo_blue', 'default_backend demo_green')),
    alreadyNote: (lb) => `${lb.ssh} routes to GREEN already`,
    verify: async () => ({ ok: true, healthy: true }),
    verifyTitle: 'Verify',
    back: 'blue',
    ifRestoreFails: (host) => `check ${host}`,
    afterFailedReload: () => 'LIVE is unchanged.',
    noun: 'switch',
    verb: 'switched',
    ...o,
  });
  const plan = (lbs = ['lb1']) => preflight(snapshot(lbs), app('/x'), { kind: 'release' });
  const refusal = (e: unknown) => (e instanceof WorkflowError ? [e.reason, e.step, e.host, e.detail, e.stateNow] : [String(e)]);
  const stillBlue = () => 'LIVE is unchanged: BLUE v1.1.0.';

  beforeEach(() => {
    dirs = [];
    said = [];
    runners = [];
  });
  afterEach(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    for (const runner of runners) runner.dispose();
  });

  it('reads each LB\'s config and state under its lock, byte for byte, and goes ahead when they are as confirmed', async () => {
    const dir = lbDir(ROUTING('demo_blue'));
    const s = target(dir);
    await readUnderLocks([s], plan(), toGreen(), 'Release', stillBlue);
    assert.equal(s.now?.config, ROUTING('demo_blue'));
    assert.match(s.now?.configSha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(s.now?.state.kind, 'ok');
  });

  it('refuses when HAProxy routes elsewhere than the person confirmed: LIVE changed since', async () => {
    const s = target(lbDir(ROUTING('demo_green')));
    await assert.rejects(readUnderLocks([s], plan(), toGreen(), 'Release', stillBlue), (e) => {
      assert.deepEqual(refusal(e), ['refused', 'Release', 'lb1', 'LIVE changed since you confirmed (HAProxy now routes to demo_green); nothing was changed', 'Check the status and try again.']);
      return true;
    });
    const neither = target(lbDir(ROUTING('maintenance')));
    await assert.rejects(readUnderLocks([neither], plan(), toGreen(), 'Release', stillBlue), /HAProxy now routes to maintenance/);
  });

  it("judges the plan's gates again on the config as read under the lock: a rule added since that splits traffic refuses", async () => {
    const s = target(lbDir(ROUTING('demo_blue', '    use_backend demo_green if { path_beg /beta }\n')));
    await assert.rejects(readUnderLocks([s], plan(), toGreen(), 'Release', stillBlue), (e) => {
      const [reason, step, host, detail, state] = refusal(e);
      assert.deepEqual([reason, step, host, state], ['refused', 'Release', 'lb1', 'Nothing was changed.']);
      assert.match(String(detail), /traffic is split: besides its routing line 7/);
      return true;
    });
  });

  it("stops when the lock was lost, when the change's own check refuses, or when cancelled", async () => {
    await assert.rejects(readUnderLocks([target(lbDir(ROUTING('demo_blue')), { held: false })], plan(), toGreen(), 'Release', stillBlue), (e) => {
      assert.deepEqual(refusal(e), ['connection-lost', 'Release', 'lb1', 'the lock on the LB host was lost', stillBlue()]);
      return true;
    });
    const refusing = toGreen({ refuse: (config, a) => (config.includes('mode http') ? `not on ${a.name}` : undefined) });
    await assert.rejects(readUnderLocks([target(lbDir(ROUTING('demo_blue')))], plan(), refusing, 'Canary', stillBlue), (e) => {
      assert.deepEqual(refusal(e), ['refused', 'Canary', 'lb1', 'not on demo', stillBlue()]);
      return true;
    });
    const cancelled = new AbortController();
    cancelled.abort();
    await assert.rejects(readUnderLocks([target(lbDir(ROUTING('demo_blue')), { signal: cancelled.signal })], plan(), toGreen(), 'Release', stillBlue), (e) => {
      assert.deepEqual(refusal(e), ['aborted', 'Operation', undefined, 'cancelled', stillBlue()]);
      return true;
    });
  });

  it('a pair: an LB already routing to the target is accepted only when the change says so (an emergency putting a split pair together)', async () => {
    const pair = () => [target(lbDir(ROUTING('demo_blue'))), target(lbDir(ROUTING('demo_green')), { lb: 'lb2' })];
    const twoLbs = plan(['lb1', 'lb2']);
    // The second LB of the plan's snapshot routes to GREEN as read now: a split pair.
    twoLbs.snapshot.lbs[1] = { ...twoLbs.snapshot.lbs[1], backend: 'demo_green', routesTo: 'green' };
    const emergency = { ...twoLbs, intent: { kind: 'release' as const, emergency: true } };
    await readUnderLocks(pair(), emergency, toGreen({ alsoAccepts: 'green' }), 'Release', stillBlue);
    await assert.rejects(readUnderLocks(pair(), emergency, toGreen(), 'Release', stillBlue), /LIVE changed since you confirmed \(HAProxy now routes to demo_green\)/);
    // One LB alone is never "already there": it is LIVE that changed.
    await assert.rejects(readUnderLocks([target(lbDir(ROUTING('demo_green')))], plan(), toGreen({ alsoAccepts: 'green' }), 'Release', stillBlue), /LIVE changed since you confirmed/);
  });

  it('changes an LB by its edit: replaced, validated, reloaded, then checked through its frontend with the moment it began', async () => {
    const dir = lbDir(ROUTING('demo_blue'));
    const s = target(dir);
    await readUnderLocks([s], plan(), toGreen(), 'Release', stillBlue);
    const marks: { at: number; worker?: number }[] = [];
    let replaced = 0;
    const before = Date.now();
    const verified = await changeOne(s, toGreen({ verify: async (lb, mark) => (marks.push(mark), assert.equal(lb.ctx.signal, undefined), { ok: true, healthy: false, unproven: 'no counters' }) }), stillBlue, () => replaced++);
    assert.deepEqual(verified, { ok: true, healthy: false, unproven: 'no counters' });
    assert.equal(readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), ROUTING('demo_green'));
    assert.equal(readFileSync(path.join(dir, 'reloaded'), 'utf8'), '');
    assert.equal(replaced, 1);
    assert.equal(marks.length, 1);
    assert.ok(marks[0].at >= before && marks[0].at <= Date.now());
    assert.equal(marks[0].worker, undefined);
  });

  it('leaves an LB that has the change already as it is, and says so', async () => {
    const dir = lbDir(ROUTING('demo_green'));
    const s = target(dir);
    s.now = { config: ROUTING('demo_green'), configSha256: 'x', state: { kind: 'missing' } };
    let verified = 0;
    assert.equal(await changeOne(s, toGreen({ verify: async () => (verified++, { ok: true, healthy: true }) }), stillBlue), undefined);
    assert.deepEqual(said, ['info: lb1 routes to GREEN already']);
    assert.equal(verified, 0);
    assert.equal(readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), ROUTING('demo_green'));
  });

  it('a config changed by someone else since it was read is not replaced', async () => {
    const dir = lbDir(ROUTING('demo_blue'));
    const s = target(dir);
    await readUnderLocks([s], plan(), toGreen(), 'Release', stillBlue);
    writeFileSync(path.join(dir, 'haproxy.cfg'), ROUTING('demo_blue', '    # edited by hand\n'));
    await assert.rejects(changeOne(s, toGreen(), stillBlue), /haproxy\.cfg changed since it was read/);
    assert.match(readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), /edited by hand/);
  });

  it('changes every LB of a pair in turn and returns the first check; an LB with the change already is skipped', async () => {
    const [d1, d2] = [lbDir(ROUTING('demo_blue')), lbDir(ROUTING('demo_blue'))];
    const lbs = [target(d1), target(d2, { lb: 'lb2' })];
    await readUnderLocks(lbs, plan(['lb1', 'lb2']), toGreen(), 'Release', stillBlue);
    const checked: string[] = [];
    const change = toGreen({ verify: async (lb) => (checked.push(lb.ctx.app.loadBalancer.ssh), { ok: true, healthy: checked.length === 2 }) });
    assert.deepEqual(await applyEach(lbs, plan(['lb1', 'lb2']), change, 'Release', stillBlue), { ok: true, healthy: false }, 'the first check');
    assert.deepEqual(checked, ['lb1', 'lb2']);
    for (const d of [d1, d2]) assert.equal(readFileSync(path.join(d, 'haproxy.cfg'), 'utf8'), ROUTING('demo_green'));
    // Nothing to change anywhere: no check to return, the change is taken as made.
    const again = [target(d1), target(d2, { lb: 'lb2' })];
    for (const s of again) s.now = { config: ROUTING('demo_green'), configSha256: 'x', state: { kind: 'missing' } };
    assert.deepEqual(await applyEach(again, plan(['lb1', 'lb2']), change, 'Release', stillBlue), { ok: true, healthy: true });
    assert.deepEqual(said, ['info: lb1 routes to GREEN already', 'info: lb2 routes to GREEN already']);
  });

  it("judges a pair with each LB as read now and the others as the plan saw them", async () => {
    // What the plan saw of the second LB (its routing cannot be rewritten) counts from the first read on.
    const seen = plan(['lb1', 'lb2']);
    seen.snapshot.lbs[1] = { ...seen.snapshot.lbs[1], notSwitchable: 'the routing comes from a defaults section' };
    await assert.rejects(readUnderLocks([target(lbDir(ROUTING('demo_blue'))), target(lbDir(ROUTING('demo_blue')), { lb: 'lb2' })], seen, toGreen(), 'Release', stillBlue), (e) => {
      assert.deepEqual(refusal(e).slice(0, 4), ['refused', 'Release', 'lb1', 'the routing comes from a defaults section']);
      return true;
    });
    // Ending a canary set on the second LB only: each LB read keeps what the plan saw of it and of the others.
    const canary = preflight(snapshot(['lb1', 'lb2']), app('/x'), { kind: 'end-canary' });
    canary.snapshot.lbs[1] = { ...canary.snapshot.lbs[1], canary: { percent: 10, key: 'src', line: 6, backend: 'demo_green', slot: 'green' } };
    await readUnderLocks([target(lbDir(ROUTING('demo_blue'))), target(lbDir(ROUTING('demo_blue')), { lb: 'lb2' })], canary, toGreen(), 'End canary', stillBlue);
    // An LB of a pair routing to neither slot is not "already there".
    const twoLbs = { ...plan(['lb1', 'lb2']), intent: { kind: 'release' as const, emergency: true } };
    await assert.rejects(readUnderLocks([target(lbDir(ROUTING('demo_blue'))), target(lbDir(ROUTING('maintenance')), { lb: 'lb2' })], twoLbs, toGreen({ alsoAccepts: 'green' }), 'Release', stillBlue), /HAProxy now routes to maintenance/);
  });

  it('a check that fails puts the LB back: the previous config restored and reloaded, and said', async () => {
    const dir = lbDir(ROUTING('demo_blue'));
    const s = target(dir);
    await readUnderLocks([s], plan(), toGreen(), 'Release', stillBlue);
    const failing = toGreen({ verify: async () => ({ ok: false, why: 'the frontend still answers from BLUE' }) });
    await assert.rejects(applyEach([s], plan(), failing, 'Release', stillBlue), (e) => {
      assert.deepEqual(refusal(e), ['step-failed', 'Verify', 'lb1', 'the frontend still answers from BLUE', 'The previous config was restored and reloaded: LIVE is BLUE v1.1.0.']);
      return true;
    });
    assert.equal(readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), ROUTING('demo_blue'));
  });

  it('a later LB that fails has the ones changed before it put back, each named', async () => {
    const [d1, d2] = [lbDir(ROUTING('demo_blue')), lbDir(ROUTING('demo_blue'))];
    const lbs = [target(d1), target(d2, { lb: 'lb2' })];
    await readUnderLocks(lbs, plan(['lb1', 'lb2']), toGreen(), 'Release', stillBlue);
    writeFileSync(path.join(d2, 'haproxy.cfg'), ROUTING('demo_blue', '    # edited by hand\n'));
    await assert.rejects(applyEach(lbs, plan(['lb1', 'lb2']), toGreen(), 'Release', stillBlue), (e) => {
      assert.ok(e instanceof WorkflowError);
      assert.equal(e.host, 'lb2');
      assert.equal(e.stateNow, `${stillBlue()} The load balancers switched before it were put back: lb1: LIVE is BLUE v1.1.0.`);
      return true;
    });
    assert.equal(readFileSync(path.join(d1, 'haproxy.cfg'), 'utf8'), ROUTING('demo_blue'));
  });

  it('an unexpected error once an LB is changed still puts it back, and says what failed', async () => {
    const dir = lbDir(ROUTING('demo_blue'));
    const s = target(dir);
    await readUnderLocks([s], plan(), toGreen(), 'Release', stillBlue);
    const throwing = toGreen({ verify: async () => Promise.reject(new Error('probe crashed')) });
    await assert.rejects(applyEach([s], plan(), throwing, 'Release', stillBlue), (e) => {
      assert.deepEqual(refusal(e), ['step-failed', 'Release', 'lb1', 'unexpected error after the switch: probe crashed', 'The previous config was restored and reloaded: LIVE is BLUE v1.1.0.']);
      assert.equal((e as WorkflowError).lastLines.length, 0);
      assert.equal(((e as Error).cause as Error).message, 'probe crashed');
      return true;
    });
    assert.equal(readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), ROUTING('demo_blue'));
  });

  it('a Cancel during a switch undoes it; a change that Cancel does not undo is finished', async () => {
    const run = async (cancelUndoes: boolean) => {
      const dir = lbDir(ROUTING('demo_blue'));
      const cancel = new AbortController();
      const s = target(dir, { signal: cancel.signal });
      await readUnderLocks([s], plan(), toGreen(), 'Release', stillBlue);
      const change = toGreen({ cancelUndoes, verify: async () => (cancel.abort(), { ok: true, healthy: true }) });
      return { dir, done: applyEach([s], plan(), change, 'Release', stillBlue) };
    };
    const undone = await run(true);
    await assert.rejects(undone.done, (e) => {
      assert.deepEqual(refusal(e), ['aborted', 'Release', 'lb1', 'cancelled during the switch', 'The switch was made, then undone: the previous config was restored and reloaded: LIVE is BLUE v1.1.0.']);
      return true;
    });
    assert.equal(readFileSync(path.join(undone.dir, 'haproxy.cfg'), 'utf8'), ROUTING('demo_blue'));
    // A change Cancel undoes, run without a way to cancel it, simply finishes.
    const dir = lbDir(ROUTING('demo_blue'));
    const plain = target(dir);
    await readUnderLocks([plain], plan(), toGreen(), 'Release', stillBlue);
    assert.deepEqual(await applyEach([plain], plan(), toGreen({ cancelUndoes: true }), 'Release', stillBlue), { ok: true, healthy: true });
    const finished = await run(false);
    assert.deepEqual(await finished.done, { ok: true, healthy: true });
    assert.equal(readFileSync(path.join(finished.dir, 'haproxy.cfg'), 'utf8'), ROUTING('demo_green'));
  });

  it('a failure before the first LB is replaced is rethrown as it is: nothing to put back', async () => {
    const dir = lbDir(ROUTING('demo_blue'));
    const s = target(dir);
    await readUnderLocks([s], plan(), toGreen(), 'Release', stillBlue);
    writeFileSync(path.join(dir, 'haproxy.cfg'), ROUTING('demo_blue', '    # edited by hand\n'));
    await assert.rejects(applyEach([s], plan(), toGreen(), 'Release', stillBlue), (e) => {
      assert.ok(e instanceof WorkflowError);
      assert.equal(e.detail, `${dir}/haproxy.cfg changed since it was read`);
      assert.equal(e.stateNow, stillBlue());
      return true;
    });
  });
});
