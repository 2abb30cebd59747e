import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { HttpResult } from '../../src/core/ssh/runner';
import { checkLive } from '../../src/core/status/liveCheck';
import { AppSnapshot } from '../../src/core/status/snapshot';
import { LocalRunner } from './localRunner';

/** A runner whose one request through the frontend gets `answer` (or fails with it). */
class FrontendRunner extends LocalRunner {
  readonly asked: string[] = [];
  constructor(private readonly answer: HttpResult | Error) {
    super();
  }
  // @ts-expect-error -- the base declares it never answers
  async httpGet(_host: unknown, url: string): Promise<HttpResult> {
    this.asked.push(url);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

const app = parseConfig(readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8'), '/work/bluegreen.yaml').apps[0];
const body = (environment: string, version: string) => JSON.stringify({ status: 'ok', version, environment });
const lastRead = {
  name: app.name,
  live: 'blue',
  standby: 'green',
  slots: { blue: { name: 'blue', reported: { version: '1.1.0', environment: 'blue' }, version: '1.1.0' }, green: { name: 'green', reported: { version: '1.2.0', environment: 'green' }, version: '1.2.0' } },
} as unknown as AppSnapshot;

describe("the badge's check of LIVE between full reads", () => {
  it('asks once through the frontend and finds LIVE answering', async () => {
    const runner = new FrontendRunner({ status: 200, body: body('blue', '1.1.0'), ms: 3 });
    const check = await checkLive(runner, app, lastRead, undefined, () => 42);
    assert.deepEqual(check, { app: app.name, at: 42, ok: true, rolesChanged: false });
    assert.deepEqual(runner.asked, ['https://demo.example.net/api/health']);
  });

  it('says LIVE is down on a 5xx or no answer, naming which', async () => {
    const failing = await checkLive(new FrontendRunner({ status: 503, body: '<html>No server is available</html>', ms: 3 }), app, lastRead);
    assert.equal(failing?.ok, false);
    assert.equal(failing?.problem, 'HTTP 503 through the frontend');
    const silent = await checkLive(new FrontendRunner(new Error('connect ECONNREFUSED 10.0.0.1:80')), app, lastRead);
    assert.equal(silent?.ok, false);
    assert.match(silent!.problem!, /^no answer through the frontend: .*ECONNREFUSED/);
  });

  it('an answer from the slot read as STANDBY means the roles changed: read them again', async () => {
    const check = await checkLive(new FrontendRunner({ status: 200, body: body('green', '1.2.0'), ms: 3 }), app, lastRead);
    assert.equal(check?.ok, false);
    assert.equal(check?.rolesChanged, true);
    assert.equal(check?.problem, 'STANDBY GREEN answered through the frontend');
  });
});
