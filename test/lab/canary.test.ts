import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { takeSnapshot } from '../../src/core/status/refresh';
import { canary } from '../../src/core/workflows/canary';
import { preApproved } from '../../src/core/plan/confirm';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { labConfig, labRunner, readState, resetLab, served } from './helpers';
import { lab } from './setup';
import { redact } from '../../src/core/redact';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** One request through a frontend from a given local address (any 127.x.y.z is this machine's): which slot answered. */
function slotFrom(url: string, source: string, host?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/api/health`, { localAddress: source, agent: false, headers: host ? { host } : {}, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        try {
          resolve(String((JSON.parse(body) as { environment: string }).environment));
        } catch {
          reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 100)}`));
        }
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** 127.88.0.1, 127.88.0.2, …: `n` clients with addresses of their own. */
const sources = (n: number) => Array.from({ length: n }, (_, i) => `127.88.${Math.floor(i / 250)}.${(i % 250) + 1}`);

async function shareTo(slot: string, clients: string[], url = lab().frontendUrl, host?: string): Promise<number> {
  let hits = 0;
  for (let i = 0; i < clients.length; i += 50) {
    const batch = await Promise.all(clients.slice(i, i + 50).map((s) => slotFrom(url, s, host)));
    hits += batch.filter((e) => e === slot).length;
  }
  return hits / clients.length;
}

function changedLines(before: string, after: string): string[] {
  const [a, b] = [before.split('\n'), after.split('\n')];
  return [...b.filter((l) => !a.includes(l)).map((l) => `+ ${l.trim()}`), ...a.filter((l) => !b.includes(l)).map((l) => `- ${l.trim()}`)];
}

describe('canary against the lab (real HAProxy routing real clients)', function () {
  this.timeout(180_000);
  let workspace: string;
  let original: string;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: workspace, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  before(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'bg-canary-'));
    writeFileSync(path.join(workspace, 'bluegreen.yaml'), readFileSync(lab().configFile, 'utf8'));
    original = readFileSync(lab().haproxyConfig, 'latin1');
  });
  after(async function () {
    this.timeout(120_000);
    await resetLab();
  });

  it('refuses a share outside 1–99, changing nothing', () => {
    for (const bad of ['0', '100', '150']) {
      const r = cli('canary', bad, '--yes');
      assert.equal(r.code, 3, `${bad}: ${r.stderr}`);
      assert.match(r.stderr, /a canary sends 1 to 99 percent of the clients to STANDBY/);
    }
    assert.equal(cli('canary', 'ten', '--yes').code, 2);
    assert.equal(readFileSync(lab().haproxyConfig, 'latin1'), original);
  });

  it('10%: one rule added, 5–15% of 2,000 clients with their own addresses reach STANDBY, each client always the same slot; the status and the state file know it; deploy refuses STANDBY', async () => {
    const r = cli('canary', '10', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /10% of demo's clients go to GREEN v1\.1\.0, the rest to LIVE BLUE v1\.1\.0/);
    assert.deepEqual(changedLines(original, readFileSync(lab().haproxyConfig, 'latin1')), ['+ use_backend demo_green if { src,crc32(1),mod(100) lt 10 } # bluegreen canary demo']);

    const share = await shareTo('green', sources(2000));
    assert.ok(share >= 0.05 && share <= 0.15, `${(share * 100).toFixed(1)}% reached GREEN`);
    for (const client of sources(40)) {
      const seen = new Set(await Promise.all(Array.from({ length: 5 }, () => slotFrom(lab().frontendUrl, client))));
      assert.equal(seen.size, 1, `${client} reached ${[...seen].join(' and ')}`);
    }

    const state = readState();
    assert.deepEqual([(state.canary as { slot: string }).slot, (state.canary as { percent: number }).percent], ['green', 10]);
    assert.equal((state.history as { kind: string }[]).at(-1)?.kind, 'canary');
    const runner = labRunner();
    try {
      const app = (await takeSnapshot(runner, labConfig())).apps[0];
      assert.equal(app.lb.canary?.percent, 10);
      assert.equal(app.lb.canary?.slot, 'green');
      assert.ok((app.lb.traffic?.green?.requests ?? 0) > 0, 'no counts for GREEN');
      assert.deepEqual(app.drift, []);
      assert.equal(app.lb.strayRoutes, undefined);
    } finally {
      runner.dispose();
    }
    const deploy = cli('deploy', '--yes');
    assert.equal(deploy.code, 3, deploy.stderr);
    assert.match(deploy.stderr, /a canary sends 10% of the clients to GREEN/);
  });

  it('release promotes it: the rule removed and the routing line flipped in one change, nothing else', async () => {
    const r = cli('release', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Promotes the canary: 10% of clients go to GREEN now/);
    assert.deepEqual(changedLines(original, readFileSync(lab().haproxyConfig, 'latin1')), ['+ default_backend demo_green', '- default_backend demo_blue']);
    assert.equal(await served(), 'green 1.1.0');
    assert.equal(await shareTo('green', sources(100)), 1);
    assert.equal(readState().canary, undefined);
  });

  it('--abort removes it: the config is byte for byte what it was', async () => {
    const promoted = readFileSync(lab().haproxyConfig, 'latin1');
    assert.equal(cli('canary', '30', '--yes').code, 0);
    const share = await shareTo('blue', sources(300));
    assert.ok(share > 0.15 && share < 0.45, `${(share * 100).toFixed(1)}% reached BLUE`);
    const r = cli('canary', '--abort', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /The canary ended: every client of demo goes to LIVE GREEN/);
    assert.equal(readFileSync(lab().haproxyConfig, 'latin1'), promoted);
    assert.equal(await shareTo('green', sources(100)), 1);
    assert.equal((readState().history as { kind: string }[]).at(-1)?.kind, 'canary-end');
  });

  it("a shared frontend: the app's canary rule carries its ACL; only its clients are split; ending it restores the config", async () => {
    const runner = labRunner();
    const app = labConfig('shared').apps[0];
    const ctx = { runner, app, reporter: new RecordingReporter(), confirm: preApproved(), who: redact('tester@lab') };
    try {
      const before = readFileSync(lab().haproxyConfig, 'latin1');
      await canary(ctx, { percent: 50 });
      const added = changedLines(before, readFileSync(lab().haproxyConfig, 'latin1'));
      assert.equal(added.length, 1);
      assert.equal(added[0], `+ use_backend ${app.slots.green.backend} if ${app.loadBalancer.acl} { src,crc32(1),mod(100) lt 50 } # bluegreen canary ${app.name}`);
      const share = await shareTo('green', sources(400), lab().sharedFrontendUrl, new URL(app.url!).host);
      assert.ok(share > 0.3 && share < 0.7, `${(share * 100).toFixed(1)}% reached GREEN`);
      await canary(ctx, { end: true });
      assert.equal(readFileSync(lab().haproxyConfig, 'latin1'), before);
    } finally {
      runner.dispose();
    }
  });
});
