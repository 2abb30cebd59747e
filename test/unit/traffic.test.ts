import * as assert from 'node:assert/strict';
import { parseBackendTraffic } from '../../src/core/status/parse';
import { trafficExceeds, trafficSince, trafficText } from '../../src/core/status/traffic';

const LIMITS = { max5xxPercent: 5, minRequests: 20 };

describe("HAProxy's counters of the new LIVE during the watch", () => {
  it('reads requests, 5xx answers and the response time of each backend row', () => {
    const csv = [
      '# pxname,svname,qcur,scur,stot,hrsp_5xx,req_tot,rtime,',
      'web,FRONTEND,0,1,900,3,900,,',
      'demo_blue,BACKEND,0,0,500,2,510,12,',
      'demo_blue,blue,0,0,500,2,,12,',
      'tcp_only,BACKEND,0,0,40,,,,',
    ].join('\n');
    assert.deepEqual([...parseBackendTraffic(csv)], [
      ['demo_blue', { sessions: 500, requests: 510, http5xx: 2, responseMs: 12 }],
      ['tcp_only', { sessions: 40, requests: 40, http5xx: 0, responseMs: 0 }],
    ]);
  });

  it('counts from the switch, and from 0 again when a reload started a new HAProxy process', () => {
    const base = { sessions: 100, requests: 100, http5xx: 1, responseMs: 10 };
    assert.deepEqual(trafficSince(base, { sessions: 150, requests: 150, http5xx: 6, responseMs: 20 }), { requests: 50, http5xx: 5, responseMs: 20 });
    assert.deepEqual(trafficSince(base, { sessions: 30, requests: 30, http5xx: 2, responseMs: 9 }), { requests: 30, http5xx: 2, responseMs: 9 });
    assert.equal(trafficText({ requests: 312, http5xx: 4, responseMs: 41 }), '312 request(s), 4 answered 5xx (1.3%), 41 ms average');
  });

  it('switches back only past a threshold, and only after enough requests', () => {
    assert.equal(trafficExceeds({ requests: 19, http5xx: 19, responseMs: 1 }, LIMITS), undefined);
    assert.equal(trafficExceeds({ requests: 100, http5xx: 5, responseMs: 1 }, LIMITS), undefined);
    assert.equal(trafficExceeds({ requests: 100, http5xx: 6, responseMs: 1 }, LIMITS), '6 of 100 requests HAProxy sent to it answered 5xx (6%, over release.watch.max5xxPercent 5%)');
    assert.equal(trafficExceeds({ requests: 100, http5xx: 0, responseMs: 900 }, LIMITS), undefined);
    assert.equal(trafficExceeds({ requests: 100, http5xx: 0, responseMs: 900 }, { ...LIMITS, maxResponseMs: 500 }), 'HAProxy measures an average response time of 900 ms (over release.watch.maxResponseMs 500 ms)');
    assert.equal(trafficExceeds({ requests: 100, http5xx: 100, responseMs: 1 }, { ...LIMITS, max5xxPercent: 100 }), undefined);
  });
});
