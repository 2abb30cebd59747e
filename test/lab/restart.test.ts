// #35: Restart STANDBY, and LIVE only behind its typed name and a reason.
import * as assert from 'node:assert/strict';
import { ConfirmPort, ConfirmRequest, typedSlotMatches } from '../../src/core/plan/confirm';
import { redact } from '../../src/core/redact';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { restart } from '../../src/core/workflows/restart';
import { OperationContext } from '../../src/core/workflows/parts/operation';
import { assertInvariants, labConfig, labRunner, pm2Info, readState, requestLoop } from './helpers';
import { lab } from './setup';

/** The person at the dialog: types `typed` where a name is asked, gives `reason`. */
function person(typed: string, reason?: string): ConfirmPort & { asked: ConfirmRequest[] } {
  const asked: ConfirmRequest[] = [];
  return { asked, confirm: async (r) => (asked.push(r), typedSlotMatches(r, typed) ? { ok: true, reason, via: 'lab test' } : { ok: false }) };
}

describe('restart a slot (#35)', function () {
  this.timeout(120_000);
  let runner: ReturnType<typeof labRunner>;
  before(() => (runner = labRunner()));
  after(() => runner.dispose());
  const context = (confirm: ConfirmPort): OperationContext => ({ runner, app: labConfig().apps[0], reporter: new RecordingReporter(), confirm, who: redact('ann@desk') });

  it('Restart STANDBY: pm2 restarts GREEN only, waits until it is healthy, and the history records it; LIVE serves throughout', async () => {
    const [blue, green] = [pm2Info('blue'), pm2Info('green')];
    const switches = readState().switchCount;
    const load = requestLoop(lab().frontendUrl + '/api/health');
    const yes = person('');
    const result = await restart(context(yes), 'standby');
    const { sent, failed } = await load.stop();
    assert.equal(result.summary, 'GREEN (STANDBY) restarted and healthy again on lab-green. LIVE is unchanged: BLUE v1.1.0.');
    assert.deepEqual([yes.asked[0].title, yes.asked[0].typeToConfirm, yes.asked[0].action], ['Restart GREEN (STANDBY)?', undefined, 'Restart STANDBY']);
    assert.equal(pm2Info('green').restarts, green.restarts + 1);
    assert.deepEqual(pm2Info('blue'), blue, "LIVE's process was restarted");
    assert.ok(sent > 100 && failed === 0, `${failed} of ${sent} requests through the frontend failed`);
    const state = readState();
    const last = (state.history as Record<string, unknown>[]).at(-1)!;
    assert.deepEqual({ ...last, timestamp: undefined }, { timestamp: undefined, kind: 'restart', slot: 'green', role: 'STANDBY', servers: ['lab-green'], by: 'ann@desk' });
    assert.equal(state.switchCount, switches, 'a restart is not a switch');
    await assertInvariants('blue');
  });

  it('Restart LIVE: refused when its name is not typed, or without a reason; then done, with the reason recorded', async () => {
    const blue = pm2Info('blue');
    const wrong = person('green', 'memory leak');
    await assert.rejects(restart(context(wrong), 'live'), /Restart LIVE failed: not confirmed\. Nothing was changed\./);
    assert.deepEqual([wrong.asked[0].typeToConfirm, wrong.asked[0].askReason], ['BLUE', true]);
    assert.match(wrong.asked[0].detail, /BLUE has one server: requests in flight while it restarts are dropped/);
    await assert.rejects(restart(context(person('BLUE', '  ')), 'live'), /a LIVE restart needs a reason/);
    assert.deepEqual(pm2Info('blue'), blue, 'LIVE was restarted without its name typed and a reason');
    const historyBefore = (readState().history as unknown[]).length;

    const result = await restart(context(person('BLUE', 'memory leak, token=ghp_abcdefghijklmnopqrstuvwxyz0123456789')), 'live');
    assert.equal(result.summary, 'BLUE (LIVE) restarted and healthy again on lab-blue. LIVE is still BLUE v1.1.0.');
    assert.equal(pm2Info('blue').restarts, blue.restarts + 1);
    const history = readState().history as Record<string, unknown>[];
    assert.equal(history.length, historyBefore + 1);
    assert.deepEqual([history.at(-1)!.kind, history.at(-1)!.role, history.at(-1)!.reason], ['restart', 'LIVE', 'memory leak, token=***']);
    await assertInvariants('blue');
  });
});
