import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig, WebhookConfig } from '../../src/core/config/types';
import { announce, Announcements } from '../../src/core/notify/announce';
import { webhookBody } from '../../src/core/notify/bodies';
import { eventSentence, NotifyEvent } from '../../src/core/notify/event';
import { shownWebhook } from '../../src/core/notify/shownUrl';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';

const passed: NotifyEvent = { event: 'staging-passed', app: 'shop', to: 'staging', versions: { to: '1.3.0' }, commits: { to: 'abc1234def5678' }, who: 'alice@laptop', time: '2026-12-04T15:00:00.000Z' };
const released: NotifyEvent = { event: 'release', app: 'shop', from: 'blue', to: 'green', versions: { from: '1.2.0', to: '1.3.0' }, commits: { from: '1111111aaaa', to: 'abc1234def5678' }, who: 'alice@laptop', approvedVia: 'terminal', time: '2026-12-04T15:00:00.000Z' };

/** A receiver on a loopback port: /ok answers 200, /fail 500, /hang never; every body is kept. */
function receiver(): { url(p: string): string; got: { path: string; body: string; type?: string }[]; start(): Promise<void>; stop(): Promise<void> } {
  const got: { path: string; body: string; type?: string }[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ path: req.url ?? '', body, type: req.headers['content-type'] });
      if (req.url?.startsWith('/hang')) return void hanging.push(res);
      res.statusCode = req.url?.startsWith('/fail') ? 500 : 200;
      res.end('ok');
    });
  });
  return {
    got,
    url: (p) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${p}`,
    start: () => new Promise((r) => server.listen(0, '127.0.0.1', r)),
    stop: () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const appWith = (notify: WebhookConfig[]) => ({ name: 'shop', notify }) as AppConfig;
const hook = (url: string, o: Partial<WebhookConfig> = {}): WebhookConfig => ({ url, format: 'json', timeoutSeconds: 5, ...o });

describe('notify: bodies', () => {
  it('says each event in one sentence with its version, app, commit and who', () => {
    assert.equal(eventSentence(passed), 'v1.3.0 passed staging — ready for production (shop, abc1234, by alice@laptop)');
    assert.equal(eventSentence(released), 'v1.3.0 on GREEN is LIVE, replacing v1.2.0 on BLUE (shop, abc1234, by alice@laptop)');
    assert.equal(eventSentence({ ...released, event: 'switch-back', from: 'green', to: 'blue', versions: { from: '1.3.0', to: '1.2.0' }, commits: { to: '1111111aaaa' }, reason: '5xx 40%' }), 'v1.3.0 on GREEN failed after the release; traffic was switched back to v1.2.0 on BLUE automatically — reason: 5xx 40% (shop, 1111111, by alice@laptop)');
    assert.equal(eventSentence({ event: 'staging-failed', app: 'shop', to: 'staging', commits: { to: 'abc1234def' }, failedStep: 'Build', detail: 'exit code 2', who: 'bob@ci', time: 'x' }), 'abc1234 failed staging at Build (exit code 2) — not ready for production (shop, abc1234, by bob@ci)');
    assert.match(eventSentence({ ...released, event: 'canary-started', percent: 10 }), /^Canary: 10% of the clients go to v1\.3\.0 on GREEN, the rest to v1\.2\.0 on BLUE/);
  });

  it('posts {"text": …} to slack, escaped as Slack asks, and the event fields with the text as json', () => {
    const slack = JSON.parse(webhookBody('slack', { ...released, reason: 'a <b> & c' , event: 'emergency-release' })) as Record<string, unknown>;
    assert.deepEqual(Object.keys(slack), ['text']);
    assert.match(String(slack.text), /reason: a &lt;b&gt; &amp; c/);
    const json = JSON.parse(webhookBody('json', released)) as Record<string, unknown>;
    assert.deepEqual(json, { ...released, text: eventSentence(released) });
  });

  it('redacts what the body carries: a reason with a token in it', () => {
    const body = webhookBody('json', { ...released, reason: 'rotated DB_PASSWORD=hunter2 and ghp_abcdefghijklmnopqrstuvwxyz0123456789' });
    assert.doesNotMatch(body, /hunter2|ghp_abcdefghij/);
    assert.doesNotMatch(webhookBody('slack', { ...released, reason: 'DB_PASSWORD=hunter2' }), /hunter2/);
  });

  it('shows a webhook as its scheme and host only', () => {
    assert.equal(shownWebhook('https://hooks.slack.com/services/T000/B000/XXXX?x=1'), 'https://hooks.slack.com/***');
    assert.equal(shownWebhook('http://user:pw@10.0.0.5:8080/hook/secret'), 'http://10.0.0.5:8080/***');
  });
});

describe('notify: posting', function () {
  this.timeout(15000);
  const r = receiver();
  before(() => r.start());
  after(() => r.stop());
  beforeEach(() => (r.got.length = 0));

  it('posts to each webhook that takes the event, and says nothing when they answer 2xx', async () => {
    const reporter = new RecordingReporter();
    const lines = await announce({ app: appWith([hook(r.url('/ok/a')), hook(r.url('/ok/b'), { format: 'slack', events: ['release'] }), hook(r.url('/ok/c'), { events: ['rollback'] }), hook(r.url('/ok/silenced'), { events: [] })]), reporter }, released);
    assert.deepEqual(lines, []);
    assert.deepEqual(reporter.lines, []);
    assert.deepEqual(r.got.map((g) => g.path).sort(), ['/ok/a', '/ok/b']);
    assert.ok(r.got.every((g) => g.type === 'application/json'));
    assert.deepEqual(JSON.parse(r.got.find((g) => g.path === '/ok/b')!.body), { text: eventSentence(released) });
  });

  it('a webhook answering 500, one that hangs and one refusing each give one line, within the bound, url past the host hidden', async () => {
    const reporter = new RecordingReporter();
    // A port nothing listens on: bound, then closed.
    const closed = http.createServer();
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((res) => closed.close(res));
    const started = Date.now();
    const lines = await announce({ app: appWith([hook(r.url('/fail/s3cret')), hook(r.url('/hang/s3cret'), { timeoutSeconds: 1 }), hook(`http://127.0.0.1:${closedPort}/s3cret`), hook(r.url('/ok'))]), reporter }, released);
    const took = Date.now() - started;
    assert.ok(took >= 900 && took < 3000, `took ${took} ms; the hanging webhook's bound is 1 s`);
    const host = new URL(r.url('/')).host;
    assert.deepEqual(lines.sort(), [
      `Webhook http://${host}/*** (release) answered HTTP 500; the release is unaffected`,
      `Webhook http://${host}/*** (release) did not answer in 1 s; the release is unaffected`,
      `Webhook http://127.0.0.1:${closedPort}/*** (release) could not be reached (ECONNREFUSED); the release is unaffected`,
    ].sort());
    assert.deepEqual(reporter.lines.sort(), lines.map((l) => `w ${l}`).sort());
    assert.ok(!lines.join('\n').includes('s3cret'));
    assert.equal(r.got.length, 3, 'the 500, the hang and the ok were each posted to');
  });

  it('Announcements posts at once and waits only when asked', async () => {
    const reporter = new RecordingReporter();
    const later = new Announcements({ app: appWith([hook(r.url('/hang'), { timeoutSeconds: 1 })]), reporter });
    const started = Date.now();
    later.send({ event: 'rollback', from: 'green', to: 'blue', who: 'alice@laptop' });
    assert.ok(Date.now() - started < 100, 'send waited for the webhook');
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(r.got.length, 1, 'the post started before settled() was called');
    const body = JSON.parse(r.got[0].body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).slice(0, 2), ['event', 'app']);
    assert.equal(body.app, 'shop');
    assert.match(String(body.time), /^\d{4}-\d\d-\d\dT/);
    const lines = await later.settled();
    assert.equal(lines.length, 1);
    assert.match(lines[0], /\(rollback\) did not answer in 1 s; the rollback is unaffected$/);
  });
});
