import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { AppConfig } from '../../src/core/config/types';
import { preApproved } from '../../src/core/plan/confirm';
import { redact } from '../../src/core/redact';
import { MARK_PREFIX } from '../../src/core/ssh/output';
import { CommandRunner, HostRef, HttpResult, RunOptions, RunResult } from '../../src/core/ssh/runner';
import { parseStagingRecord, renderStagingRecord, StagingRecord } from '../../src/core/state/stagingRecord';
import { readStaging } from '../../src/core/status/stagingStatus';
import { deployToStaging } from '../../src/core/workflows/deployToStaging';
import { WorkflowError } from '../../src/core/workflows/parts/operation';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';

const COMMIT = 'abc1234def5678901234567890abcdef12345678';

/**
 * Answers each remote script as its host would, by the marks and files it names, and records
 * which host every command and health check went to. The values a script gets are its
 * `set -- …` line: the record it writes is read back from there.
 */
class StagingHosts implements CommandRunner {
  readonly hosts: string[] = [];
  written?: StagingRecord;
  /** `record`: the record's text already on the host (none: the read finds no file). */
  constructor(
    private readonly health: number,
    private readonly record?: string,
  ) {}

  async run(host: HostRef, script: string, o: RunOptions = {}): Promise<RunResult> {
    this.hosts.push(host.ssh);
    const ok = (stdout = ''): RunResult => ({ code: 0, stdout, stderr: '' });
    if (script.includes('flock -n 9')) {
      o.onStdout?.(`${MARK_PREFIX}lock-held`);
      await new Promise((resolve) => (o.holdStdinUntil?.aborted ? resolve(undefined) : o.holdStdinUntil?.addEventListener('abort', resolve)));
      return ok();
    }
    if (script.includes(`${MARK_PREFIX}target`)) return ok(`${MARK_PREFIX}target ${COMMIT}\nabc1234 Add search (ana, 1 hour ago)\n`);
    if (script.includes(`${MARK_PREFIX}commit`)) return ok(`${MARK_PREFIX}commit ${COMMIT}\n`);
    if (script.includes('.bluegreen-state.XXXXXX')) {
      const args = /^set -- '([^']*)' '([^']*)'/.exec(script)!;
      assert.equal(args[1], '/opt/.bluegreen-staging/demo.json');
      this.written = parseStagingRecord(Buffer.from(args[2], 'base64').toString('utf8'));
      return ok();
    }
    if (script.includes('.bluegreen-staging/demo.json')) return this.record === undefined ? { code: 44, stdout: '', stderr: '' } : ok(this.record);
    return ok();
  }

  async httpGet(host: HostRef, url: string): Promise<HttpResult> {
    this.hosts.push(`${host.ssh} ${url}`);
    return { status: this.health, body: JSON.stringify({ version: '1.3.0', commit: COMMIT }), ms: 2 };
  }

  async askUnixSocket(host: HostRef): Promise<string> {
    this.hosts.push(host.ssh);
    throw new Error('no socket on a staging host');
  }

  async whereIs(host: HostRef): Promise<string> {
    return host.ssh;
  }

  warm(): void {}
  dispose(): void {}
}

function appWithStaging(): AppConfig {
  const valid = readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8');
  const text = `${valid}    health: { attempts: 2, intervalMs: 100 }\n    staging: { ssh: stage, url: "http://10.0.0.5:3001", dir: /opt/app, pm2: demo-staging }\n`;
  return parseConfig(text, '/work/bluegreen.yaml').apps[0];
}

describe('deploy to staging (hosts answered in process)', () => {
  it('runs every command and health check on the staging host only, never the LB or a slot, and records the pass', async () => {
    const runner = new StagingHosts(200);
    const r = await deployToStaging({ runner, app: appWithStaging(), reporter: new RecordingReporter(), confirm: preApproved(), who: redact('ana@laptop') });
    assert.equal(r.passed, true);
    assert.deepEqual([...new Set(runner.hosts)], ['stage', 'stage http://10.0.0.5:3001/api/health']);
    const [entry] = runner.written!.history;
    assert.deepEqual([entry.passed, entry.commit, entry.version, entry.ref, entry.who, entry.health], [true, COMMIT, '1.3.0', 'develop', 'ana@laptop', 'passed']);
  });

  it('records a failed health check as failed, with its step, and throws it', async () => {
    const runner = new StagingHosts(503);
    await assert.rejects(
      deployToStaging({ runner, app: appWithStaging(), reporter: new RecordingReporter(), confirm: preApproved(), who: redact('ana@laptop') }, { ref: 'v1.3.0' }),
      (e) => e instanceof WorkflowError && e.step === 'Wait for staging to be healthy' && /HTTP 503/.test(e.detail),
    );
    assert.ok(runner.hosts.every((h) => h.startsWith('stage')), runner.hosts.join(', '));
    const [entry] = runner.written!.history;
    assert.deepEqual([entry.passed, entry.failedStep, entry.health, entry.ref, entry.commit], [false, 'Wait for staging to be healthy', 'failed', 'v1.3.0', COMMIT]);
  });

  it("keeps the record's earlier deploys, newest first; status reads the last one in one command", async () => {
    const earlier = renderStagingRecord({ app: 'demo', history: [{ ref: 'develop', at: '2026-12-01T10:00:00.000Z', who: 'bo@ci', passed: false, failedStep: 'Build', commit: COMMIT }] });
    const runner = new StagingHosts(200, earlier);
    await deployToStaging({ runner, app: appWithStaging(), reporter: new RecordingReporter(), confirm: preApproved(), who: redact('ana@laptop') });
    assert.deepEqual(
      runner.written!.history.map((e) => [e.who, e.passed]),
      [
        ['ana@laptop', true],
        ['bo@ci', false],
      ],
    );
    const reading = new StagingHosts(200, renderStagingRecord(runner.written!));
    const staging = await readStaging(reading, appWithStaging());
    assert.deepEqual(reading.hosts, ['stage']);
    assert.deepEqual([staging?.status, staging?.host, staging?.branch, staging?.last?.who, staging?.last?.passed], ['ok', 'stage', 'develop', 'ana@laptop', true]);
    assert.equal((await readStaging(new StagingHosts(200), appWithStaging()))?.status, 'never-deployed');
    assert.equal((await readStaging(new StagingHosts(200, '{"prod":"blue"}'), appWithStaging()))?.status, 'unreadable');
  });

  it('is refused, with nothing run, for an app without staging', async () => {
    const runner = new StagingHosts(200);
    const app = { ...appWithStaging(), staging: undefined };
    await assert.rejects(deployToStaging({ runner, app, reporter: new RecordingReporter(), confirm: preApproved(), who: redact('ana@laptop') }), (e) => e instanceof WorkflowError && e.reason === 'refused');
    assert.deepEqual(runner.hosts, []);
  });
});
