import * as assert from 'node:assert/strict';
import { parseSessionCounts } from '../../src/core/status/parse';
import { countingWindow, CountReading, standbyReached, trafficContradiction, trafficProofText } from '../../src/core/status/trafficProof';

const HEADER = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr';
/** A `show stat` answer: each row [proxy, server (or FRONTEND/BACKEND), stot, addr]. */
function stat(rows: [string, string, number, string?][]): string {
  const width = HEADER.split(',').length;
  return [HEADER, ...rows.map(([px, sv, stot, addr]) => {
    const f = new Array<string>(width).fill('');
    [f[0], f[1], f[7], f[width - 1]] = [px, sv, String(stot), addr ?? ''];
    return f.join(',');
  })].join('\n');
}

describe('roles proved by traffic: what HAProxy counted reaching STANDBY', () => {
  const GREEN = ['10.0.0.2:3001'];
  const before = parseSessionCounts(stat([['web', 'FRONTEND', 500], ['shop_blue', 'blue', 400, '10.0.0.1:3001'], ['shop_blue', 'BACKEND', 400], ['shop_green', 'green', 7, '10.0.0.2:3001'], ['shop_green', 'BACKEND', 7], ['legacy', 'old', 3, '10.0.0.2:3001'], ['legacy', 'BACKEND', 3]]));

  it('counts STANDBY\'s backend and any server elsewhere at its address; frontends and LIVE are not STANDBY', () => {
    const idle = parseSessionCounts(stat([['web', 'FRONTEND', 900], ['shop_blue', 'blue', 800, '10.0.0.1:3001'], ['shop_blue', 'BACKEND', 800], ['shop_green', 'green', 7, '10.0.0.2:3001'], ['shop_green', 'BACKEND', 7], ['legacy', 'old', 3, '10.0.0.2:3001'], ['legacy', 'BACKEND', 3]]));
    assert.deepEqual(standbyReached(before, idle, 'shop_green', GREEN), []);
    const reached = parseSessionCounts(stat([['shop_green', 'green', 9, '10.0.0.2:3001'], ['shop_green', 'BACKEND', 9], ['legacy', 'old', 15, '10.0.0.2:3001'], ['legacy', 'BACKEND', 15]]));
    assert.deepEqual(standbyReached(before, reached, 'shop_green', GREEN), [{ backend: 'shop_green', sessions: 2 }, { backend: 'legacy', server: 'old', sessions: 12 }]);
  });

  it('reads counters that went backwards as two processes, not as no traffic', () => {
    const restarted = parseSessionCounts(stat([['shop_green', 'green', 0, '10.0.0.2:3001'], ['shop_green', 'BACKEND', 0], ['legacy', 'old', 0, '10.0.0.2:3001']]));
    assert.equal(standbyReached(before, restarted, 'shop_green', GREEN), undefined);
  });

  it('counts over the last refresh\'s reading when it is recent and of the same process, else reads again after the window', async () => {
    const reading = (at: number, pid: string): CountReading => ({ at, pid, counts: before });
    let asked = 0;
    const again = async () => (asked++, reading(Date.now(), '7'));
    const first = await countingWindow('lb-a', reading(Date.now(), '7'), again);
    assert.equal(asked, 1, 'nothing earlier: a second reading');
    assert.ok(!('notCounted' in first) && first.after.at - first.before.at >= 1000);
    const later = reading(Date.now() + 2000, '7');
    const second = await countingWindow('lb-a', later, again);
    assert.equal(asked, 1, 'the earlier reading starts the window');
    assert.ok(!('notCounted' in second) && second.after === later);
    const rightAfter = await countingWindow('lb-a', reading(later.at + 10, '7'), again);
    assert.equal(asked, 1, 'refreshes in a row start their window at an earlier reading old enough');
    assert.ok(!('notCounted' in rightAfter) && rightAfter.after.at - rightAfter.before.at >= 1000);
    const reloaded = await countingWindow('lb-a', reading(Date.now(), '8'), async () => reading(Date.now(), '9'));
    assert.deepEqual(reloaded, { notCounted: 'HAProxy reloaded while counting' });
  });

  it('says it in one sentence, and names what contradicts the config', () => {
    const idle = { standby: 'green' as const, counted: { windowMs: 2100, sessions: 0, where: [] } };
    assert.equal(trafficProofText(idle), 'STANDBY GREEN: no traffic (0 sessions in 2 s, checked by HAProxy)');
    assert.equal(trafficContradiction(idle, 'web', false), undefined);
    const busy = { standby: 'green' as const, counted: { windowMs: 1000, sessions: 12, where: [{ backend: 'legacy', server: 'old', sessions: 12 }] } };
    assert.match(trafficContradiction(busy, 'web', false) ?? '', /^traffic reaches STANDBY GREEN, though the config routes frontend "web" to the other slot: 12 sessions in 1 s \(legacy\/old 12, counted by HAProxy\)/);
    assert.equal(trafficContradiction(busy, 'web', true), undefined, 'a canary sends clients there on purpose');
    const answered = { standby: 'green' as const, notCounted: 'no stats socket', request: { answeredBy: 'standby' as const, detail: 'HTTP 200 from GREEN, by its health body' } };
    assert.match(trafficContradiction(answered, 'web', false) ?? '', /a request through frontend "web" was answered by it/);
    assert.equal(trafficContradiction({ ...answered, counted: { windowMs: 1000, sessions: 0, where: [] } }, 'web', false), undefined, "HAProxy's count, this request's own session included, outweighs a body's claim");
    assert.equal(trafficProofText({ ...answered, request: { answeredBy: 'live', detail: 'HTTP 200 from BLUE, by its health body' } }), 'roles read from the config only, proved by one request through the frontend (HTTP 200 from BLUE, by its health body); no stats socket');
  });
});
