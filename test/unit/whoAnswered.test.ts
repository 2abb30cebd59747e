import * as assert from 'node:assert/strict';
import { parseBackendSessions } from '../../src/core/status/parse';
import { SlotSnapshot } from '../../src/core/status/snapshot';
import { servedByBody } from '../../src/core/status/servedBy';
import { AppConfig } from '../../src/core/config/types';
import { CommandRunner } from '../../src/core/ssh/runner';
import { backendCounters, countedAround, servedByCounters } from '../../src/core/workflows/parts/whoAnswered';
import { judgeSmoke, smokeFailures } from '../../src/core/status/smoke';

/** A slot whose own health endpoint reports these fields. */
const slot = (name: 'blue' | 'green', reported: NonNullable<SlotSnapshot['reported']>): SlotSnapshot => ({ name, host: `lab-${name}`, reachable: true, health: 'up', reported }) as SlotSnapshot;

describe('which slot answered a request through the frontend', () => {
  const green = slot('green', { commit: 'c2', version: '1.2.0', environment: 'green' });
  const blue = slot('blue', { commit: 'c1', version: '1.1.0', environment: 'blue' });

  it('tells by the first identity field the body carries and the slots differ on', () => {
    assert.deepEqual(servedByBody({ commit: 'c2' }, green, blue), { by: 'new', how: 'body' });
    assert.deepEqual(servedByBody({ environment: 'blue' }, green, blue), { by: 'old', how: 'body' });
    assert.deepEqual(servedByBody({ version: '9.9.9' }, green, blue).by, 'neither');
  });

  it('hardening: a 503 body that names the new slot counts as the new slot (the routing is right, the health is a separate question)', () => {
    // The body is all servedByBody sees: the status plays no part in who answered.
    assert.deepEqual(servedByBody({ commit: 'c2', version: '1.2.0', environment: 'green' }, green, blue), { by: 'new', how: 'body' });
  });

  it('hardening: a body with no identity, or identical slots, proves nothing (was: "either" counted as verified, or "neither" failed every plain-text health endpoint)', () => {
    assert.equal(servedByBody({}, green, blue).by, 'unknown');
    const twin = slot('blue', { commit: 'c2', version: '1.2.0' });
    const same = servedByBody({ commit: 'c2', version: '1.2.0' }, slot('green', { commit: 'c2', version: '1.2.0' }), twin);
    assert.deepEqual(same, { by: 'unknown', detail: 'both slots report the same commit, version' });
  });

  it('hardening: HAProxy\'s counts tell which backend took the request, and a reload between the two reads is not an answer', () => {
    const counts = (blueCount: number, greenCount: number) => new Map([['demo_blue', blueCount], ['demo_green', greenCount], ['other', 5]]);
    assert.deepEqual(servedByCounters(counts(3, 7), counts(3, 8), 'demo_green', 'demo_blue'), { by: 'new', how: 'counters' });
    assert.deepEqual(servedByCounters(counts(3, 7), counts(4, 7), 'demo_green', 'demo_blue'), { by: 'old', how: 'counters' });
    assert.equal(servedByCounters(counts(3, 7), counts(3, 7), 'demo_green', 'demo_blue').by, 'neither');
    const reloaded = servedByCounters(counts(30, 70), counts(0, 1), 'demo_green', 'demo_blue');
    assert.equal(reloaded.by === 'unknown' && reloaded.settling, true);
    const split = servedByCounters(counts(3, 7), counts(4, 8), 'demo_green', 'demo_blue');
    assert.equal(split.by === 'unknown' && split.settling, true);
    assert.match(JSON.stringify(servedByCounters(new Map(), counts(0, 1), 'demo_green', 'demo_blue')), /does not list backend demo_green/);
  });

  it("an old backend's counter going backwards, or missing from the stats, is no evidence that the new one served: a switch is not confirmed on it", () => {
    const counts = (blueCount: number, greenCount: number) => new Map([['demo_blue', blueCount], ['demo_green', greenCount]]);
    // A reload between the two reads: the new backend's count rose, the old one's fell.
    assert.deepEqual(servedByCounters(counts(30, 7), counts(0, 8), 'demo_green', 'demo_blue'), { by: 'unknown', settling: true, detail: "both backends' counts moved (demo_green 1, demo_blue -30)" });
    assert.deepEqual(servedByCounters(counts(3, 70), counts(4, 0), 'demo_green', 'demo_blue'), { by: 'unknown', settling: true, detail: "both backends' counts moved (demo_green -70, demo_blue 1)" });
    // The old backend is not in the stats (before, after, or both): who served is unknown.
    const noOld = new Map([['demo_green', 8]]);
    assert.deepEqual(servedByCounters(counts(3, 7), noOld, 'demo_green', 'demo_blue'), { by: 'unknown', detail: 'the stats socket does not list backend demo_blue' });
    assert.deepEqual(servedByCounters(new Map([['demo_green', 7]]), counts(3, 8), 'demo_green', 'demo_blue'), { by: 'unknown', detail: 'the stats socket does not list backend demo_blue' });
    assert.deepEqual(servedByCounters(counts(3, 7), new Map([['demo_blue', 4]]), 'demo_green', 'demo_blue'), { by: 'unknown', detail: 'the stats socket does not list backend demo_green' });
    assert.deepEqual(servedByCounters(counts(3, 7), counts(3, 7), 'demo_green', 'demo_blue'), { by: 'neither', how: 'counters', detail: 'neither demo_green nor demo_blue counted the request' });
  });

  it("HAProxy's counters are asked of the stats socket on the app's LB, for backend rows only; without a socket there are none", async () => {
    const app = (statsSocket?: string) => ({ name: 'demo', loadBalancer: { ssh: 'lb1', via: 'sudo', statsSocket } }) as unknown as AppConfig;
    const asked: unknown[][] = [];
    const csv = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime\ndemo_blue,BACKEND,0,0,0,1,1,12,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,10,0,,1,2,0,,12,,1,0,,1,,,,0,10,0,0,2,0,,,,12,0,0,0,0,0,0,0,,,0,0,7,9\n';
    const runner = { askUnixSocket: async (...a: unknown[]) => (asked.push(a), csv) } as unknown as CommandRunner;
    assert.equal(backendCounters(runner, app()), undefined);
    const counters = backendCounters(runner, app('/run/haproxy/admin.sock'))!;
    assert.deepEqual([...(await counters.read())], [['demo_blue', 12]]);
    assert.deepEqual(asked, [[{ ssh: 'lb1', via: 'sudo' }, '/run/haproxy/admin.sock', 'show stat -1 2 -1', { timeoutMs: 5000 }]]);
    const traffic = (await counters.traffic()).get('demo_blue');
    assert.deepEqual([traffic?.sessions, traffic?.http5xx], [12, 2]);
    assert.equal(asked.length, 2);
  });

  it('counts around a request: both reads kept; a failed read leaves the answer to the body, the request made all the same', async () => {
    const reads = (...results: (number | Error)[]) => ({
      read: async () => {
        const next = results.shift()!;
        if (next instanceof Error) throw next;
        return new Map([['demo_green', next]]);
      },
      traffic: async () => new Map(),
    });
    let requests = 0;
    const request = async () => (requests++, 'answered');
    assert.deepEqual(await countedAround(reads(1, 2), request), { result: 'answered', before: new Map([['demo_green', 1]]), after: new Map([['demo_green', 2]]) });
    assert.deepEqual(await countedAround(reads(new Error('socket gone')), request), { result: 'answered', error: 'socket gone' });
    assert.deepEqual(await countedAround(reads(1, new Error('socket gone')), request), { result: 'answered', error: 'socket gone' });
    assert.equal(requests, 3);
  });

  it('reads each backend\'s session count from show stat', () => {
    const csv = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin\ndemo_blue,BACKEND,0,0,0,1,1,12,0\ndemo_blue,blue,0,0,0,1,,12,0\ndemo,FRONTEND,,,0,1,100,40,0\ndemo_green,BACKEND,0,0,0,0,1,0,0\n\n';
    assert.deepEqual([...parseBackendSessions(csv)], [['demo_blue', 12], ['demo_green', 0]]);
  });
});

describe('smoke checks', () => {
  const answer = (status: number, body: string, ms = 5) => ({ status, body, ms });
  it('pass when every expectation the check names holds', () => {
    assert.deepEqual(judgeSmoke({ path: '/api/health', status: 200, json: { field: 'db.status', equals: 'ok' }, contains: 'ok' }, answer(200, '{"db":{"status":"ok"}}'), 2000), { name: 'GET /api/health', ok: true, detail: 'HTTP 200 in 5 ms' });
  });
  it('fail on the first unmet one, saying what was seen', () => {
    const check = { name: 'home', path: '/', status: 200, contains: 'Welcome', maxMs: 100 };
    assert.equal(judgeSmoke(check, answer(503, 'down'), 2000).detail, 'HTTP 503, expected 200');
    assert.equal(judgeSmoke(check, answer(200, 'Welcome', 250), 2000).detail, 'answered in 250 ms, over 100 ms');
    assert.equal(judgeSmoke(check, answer(200, 'Hello'), 2000).detail, 'the body does not contain "Welcome"');
    const json = { path: '/v', status: 200, json: { field: 'version', equals: 2 } };
    assert.equal(judgeSmoke(json, answer(200, '<html>'), 2000).detail, 'the body is not JSON');
    assert.equal(judgeSmoke(json, answer(200, '{"version":"2"}'), 2000).detail, 'version is "2", expected 2');
    assert.equal(judgeSmoke(json, answer(200, '{}'), 2000).detail, 'version is missing, expected 2');
    assert.equal(smokeFailures([{ name: 'a', ok: true, detail: '' }, { name: 'home', ok: false, detail: 'HTTP 503, expected 200' }]), '1 of 2 smoke tests failed: home (HTTP 503, expected 200)');
    assert.equal(smokeFailures([{ name: 'a', ok: true, detail: '' }]), undefined);
  });
});
