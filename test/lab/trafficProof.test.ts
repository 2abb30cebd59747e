import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { preApproved } from '../../src/core/plan/confirm';
import { takeSnapshot } from '../../src/core/status/refresh';
import { severity } from '../../src/core/status/snapshot';
import { trafficProofText } from '../../src/core/status/trafficProof';
import { Ssh2Runner } from '../../src/core/ssh/ssh2Runner';
import { canary } from '../../src/core/workflows/canary';
import { deploy } from '../../src/core/workflows/deploy';
import { OperationContext, WorkflowError } from '../../src/core/workflows/parts/operation';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { sync } from '../../src/core/workflows/sync';
import { APP_PORT } from '../../lab/labFiles';
import { labConfig, labRunner, pm2Info, reloadHaproxy, requestLoop, servedBy } from './helpers';
import { lab } from './setup';
import { redact } from '../../src/core/redact';

function context(runner: Ssh2Runner): OperationContext {
  return { runner, app: labConfig().apps[0], reporter: new RecordingReporter(), confirm: preApproved(), who: redact('tester@lab') };
}

/** Runs `body` with haproxy.cfg rewritten by `edit` and HAProxy reloaded; puts both back after. */
async function withConfig(edit: (cfg: string) => string, body: () => Promise<void>): Promise<void> {
  const file = lab().haproxyConfig;
  const original = readFileSync(file, 'utf8');
  const edited = edit(original);
  assert.notEqual(edited, original);
  writeFileSync(file, edited);
  await reloadHaproxy();
  try {
    await body();
    assert.equal(readFileSync(file, 'utf8'), edited, 'the config changed');
  } finally {
    writeFileSync(file, original);
    await reloadHaproxy();
  }
}

describe('roles proved by traffic: HAProxy\'s counters and a request through the frontend (real HAProxy)', function () {
  this.timeout(120_000);
  let runner: Ssh2Runner;
  beforeEach(() => (runner = labRunner()));
  afterEach(() => runner.dispose());

  it('proves an idle STANDBY by HAProxy\'s count and LIVE by who answers through the frontend', async () => {
    const app = (await takeSnapshot(runner, labConfig())).apps[0];
    const proof = app.lb.trafficProof!;
    assert.equal(proof.standby, app.standby);
    assert.equal(proof.counted?.sessions, 0, trafficProofText(proof));
    assert.ok((proof.counted?.windowMs ?? 0) >= 1000);
    assert.match(trafficProofText(proof), new RegExp(`^STANDBY ${app.standby!.toUpperCase()}: no traffic \\(0 sessions in \\d+ s, checked by HAProxy\\)$`));
    assert.equal(proof.request?.answeredBy, 'live', proof.request?.detail);
    assert.equal(severity(app), 'ok');
  });

  it('without a stats socket says the roles were read from the config and proved by one request', async () => {
    const app = (await takeSnapshot(runner, labConfig('default', (y) => y.replace(/\n\s*statsSocket: .*/, '')))).apps[0];
    assert.match(trafficProofText(app.lb.trafficProof!), /^roles read from the config only, proved by one request through the frontend \(HTTP 200 from (BLUE|GREEN), by its health body\); no stats socket/);
    assert.ok(app.lb.findings?.some((f) => f.id === 'stats-unused'), 'the doctor recommends the socket');
  });

  it('a backend the config reader cannot tie to the slot but HAProxy sends users through to STANDBY: status names it, deploy, sync and canary refuse, neither slot restarted', async () => {
    const live = (await servedBy()) as 'blue' | 'green';
    const standby = live === 'blue' ? 'green' : 'blue';
    const lbAddress = lab().hosts.lb.address;
    const standbyAddress = lab().hosts[standby].address;
    const hiddenPort = 8093;
    await withConfig(
      (cfg) => `${cfg}\nfrontend legacy\n    bind ${lbAddress}:${hiddenPort}\n    default_backend legacy_pool\n\nbackend legacy_pool\n    server old ${standbyAddress}:${APP_PORT}\n`,
      async () => {
        const pm2Before = { live: pm2Info(live), standby: pm2Info(standby) };
        const load = requestLoop(`http://${lbAddress}:${hiddenPort}/api/health`, 2);
        try {
          const app = (await takeSnapshot(runner, labConfig())).apps[0];
          assert.deepEqual(app.lb.strayRoutes, undefined, 'the config reader sees nothing: only the counters can tell');
          const drift = app.drift.find((d) => d.kind === 'traffic-reaches-standby');
          assert.match(drift?.message ?? '', new RegExp(`traffic reaches STANDBY ${standby.toUpperCase()}.*legacy_pool/old \\d+.*counted by HAProxy`));
          assert.equal(severity(app), 'error');
          const refused = (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /traffic reaches STANDBY/.test(e.message);
          await assert.rejects(deploy(context(runner)), refused);
          await assert.rejects(sync(context(runner)), refused);
          await assert.rejects(canary(context(runner), { percent: 10 }), refused);
        } finally {
          await load.stop();
        }
        assert.deepEqual(pm2Info(live), pm2Before.live, 'LIVE was restarted');
        assert.deepEqual(pm2Info(standby), pm2Before.standby, 'STANDBY was restarted');
      },
    );
  });

  const hidden: [string, (cfg: string, standby: string, lbAddress: string) => string][] = [
    ['a quoted use_backend', (cfg, standby) => cfg.replace('frontend demo\n', `frontend demo\n    use_backend "demo_${standby}" if { path_beg /beta }\n`)],
    ['a second frontend', (cfg, standby, lb) => `${cfg}\nfrontend https_in\n    bind ${lb}:8094\n    default_backend demo_${standby}\n`],
    ['an indented frontend header', (cfg, standby, lb) => `${cfg}\n  frontend beta\n    bind ${lb}:8095\n    default_backend demo_${standby}\n`],
  ];
  for (const [name, edit] of hidden) {
    it(`${name} routing to STANDBY: status names the split, deploy refuses, LIVE's pm2 process not restarted`, async () => {
      const live = (await servedBy()) as 'blue' | 'green';
      const standby = live === 'blue' ? 'green' : 'blue';
      await withConfig(
        (cfg) => edit(cfg, standby, lab().hosts.lb.address),
        async () => {
          const pm2Before = pm2Info(live);
          const app = (await takeSnapshot(runner, labConfig())).apps[0];
          assert.equal(app.live, live);
          assert.match(app.drift.find((d) => d.kind === 'mixed-routing')?.message ?? '', new RegExp(`traffic is split: .*demo_${standby}`));
          await assert.rejects(deploy(context(runner)), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /traffic is split/.test(e.message));
          assert.deepEqual(pm2Info(live), pm2Before, 'LIVE was restarted');
        },
      );
    });
  }
});
