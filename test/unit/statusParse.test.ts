import * as assert from 'node:assert/strict';
import { SectionedScript } from '../../src/core/remote/sections';
import { parseState } from '../../src/core/state/stateFile';
import { parseHealthBody, parseLockHolder, parsePm2List, parseShowStat } from '../../src/core/status/parse';
import { checkWords, serverStateWords } from '../../src/core/status/haproxyWords';
import { counted } from '../../src/core/format';
import { parseGitHead } from '../../src/core/status/checkout';
import { driftOf } from '../../src/core/status/drift';
import { LoadBalancerSnapshot } from '../../src/core/status/snapshot';

describe('status parsing', () => {
  it('reads both state file shapes and keeps unknown fields', () => {
    const a = parseState('{"prod":"blue","live":"blue","standby":"green","lastSwitch":"t","switchCount":5,"owner":"ops"}');
    assert.equal(a.kind, 'ok');
    if (a.kind === 'ok') {
      assert.deepEqual([a.state.live, a.state.standby, a.state.switchCount, a.state.history.length], ['blue', 'green', 5, 0]);
      assert.equal(a.state.raw.owner, 'ops');
    }
    const b = parseState('{"prod":"GREEN","standby":"blue","history":[{"timestamp":"t","from":"blue","to":"green"}]}');
    assert.ok(b.kind === 'ok' && b.state.live === 'green' && b.state.history.length === 1);
    assert.equal(parseState('[1]').kind, 'corrupt');
    assert.equal(parseState('{"prod":"purple"}').kind, 'corrupt');
    assert.equal(parseState('{').kind, 'corrupt');
  });

  it('reads show stat server rows', () => {
    const csv = '# pxname,svname,qcur,qmax,scur,status,check_status\nfront,FRONTEND,,,3,OPEN,\ndemo_blue,blue,0,0,2,UP,L7OK\ndemo_blue,BACKEND,0,0,2,UP,\ndemo_green,green,0,0,0,DOWN,L4CON\n';
    assert.deepEqual(parseShowStat(csv), [
      { backend: 'demo_blue', server: 'blue', status: 'UP', check: 'L7OK', sessions: 2 },
      { backend: 'demo_green', server: 'green', status: 'DOWN', check: 'L4CON', sessions: 0 },
    ]);
  });

  it('keeps only the named pm2 process and never its environment', () => {
    const out = 'some warning\n' + JSON.stringify([{ name: 'other', pid: 1, pm2_env: { status: 'online' } }, { name: 'app', pid: 42, pm2_env: { status: 'online', restart_time: 3, pm_uptime: 1000, SECRET: 'x' } }]);
    assert.deepEqual(parsePm2List(out, 'app', 61000), { status: 'online', restarts: 3, uptimeMs: 60000, pid: 42 });
    assert.equal(parsePm2List(out, 'missing', 0), undefined);
    assert.equal(parsePm2List('garbage', 'app', 0), undefined);
  });

  it('reads version, environment and commit from health JSON', () => {
    assert.deepEqual(parseHealthBody('{"status":"ok","version":"2.4.1","environment":"green","commit":"abc"}'), { version: '2.4.1', environment: 'green', commit: 'abc' });
    assert.deepEqual(parseHealthBody('<html>'), {});
  });

  it('frames sections so file content cannot forge a boundary', () => {
    const script = new SectionedScript().add('a', 'x').add('b', 'y');
    const nonce = /@@bg-([0-9a-f]+):begin a/.exec(script.script)![1];
    const forged = '@@bg-0000:end a 0';
    const out = `@@bg-${nonce}:begin a\nline1\n${forged}\n\n@@bg-${nonce}:end a 0\n@@bg-${nonce}:begin b\n\n@@bg-${nonce}:end b 3\n`;
    const parsed = script.parse(out);
    assert.deepEqual(parsed.get('a'), { output: `line1\n${forged}\n`, code: 0 });
    assert.deepEqual(parsed.get('b'), { output: '', code: 3 });
  });

  it('leaves out a section cut off before its end marker, keeping the ones before it', () => {
    const script = new SectionedScript().add('a', 'x').add('b', 'y');
    const nonce = /@@bg-([0-9a-f]+):begin a/.exec(script.script)![1];
    const parsed = script.parse(`@@bg-${nonce}:begin a\n\n\n@@bg-${nonce}:end a 0\n@@bg-${nonce}:begin b\npartial`);
    assert.deepEqual([...parsed.entries()], [['a', { output: '\n', code: 0 }]]);
  });

  it('reports drift between the state file and HAProxy, config winning', () => {
    const lb = (state: Partial<LoadBalancerSnapshot['state']>): LoadBalancerSnapshot => ({ host: 'lb', reachable: true, frontend: 'f', state: { file: '/s.json', status: 'ok', history: [], ...state } });
    assert.deepEqual(driftOf(lb({ live: 'blue' }), 'blue'), []);
    assert.match(driftOf(lb({ live: 'blue' }), 'green')[0].message, /says BLUE is LIVE, but HAProxy routes to GREEN/);
    assert.equal(driftOf(lb({ status: 'missing' }), 'blue')[0].kind, 'state-file-missing');
  });
});

describe('parseGitHead', () => {
  it('reads the commit, the checked-out branch and a tag from git log decorations', () => {
    assert.deepEqual(parseGitHead('e8be1a1c3fd725eee17ec205108074fb529b4156\nHEAD -> main, tag: v1.1.0, origin/main\n'), { commit: 'e8be1a1c3fd725eee17ec205108074fb529b4156', branch: 'main', tag: 'v1.1.0' });
  });
  it('has no branch on a detached HEAD, and no tag when none points at the commit', () => {
    assert.deepEqual(parseGitHead('e8be1a1c3fd725eee17ec205108074fb529b4156\nHEAD, main\n'), { commit: 'e8be1a1c3fd725eee17ec205108074fb529b4156', branch: undefined, tag: undefined });
    assert.deepEqual(parseGitHead('e8be1a1c3fd725eee17ec205108074fb529b4156\nHEAD -> release/1.2\n'), { commit: 'e8be1a1c3fd725eee17ec205108074fb529b4156', branch: 'release/1.2', tag: undefined });
  });
  it('rejects something that is not a commit id', () => {
    assert.equal(parseGitHead('fatal: not a git repository\n').commit, undefined);
  });
});

describe("HAProxy's words as a person reads them", () => {
  it('translates server states and check codes, keeping what it does not know', () => {
    assert.equal(serverStateWords('UP'), 'up');
    assert.equal(serverStateWords('UP 1/3'), 'up, 1 of 3 checks failed');
    assert.equal(serverStateWords('DOWN 1/2'), 'down, 1 of 2 checks passed');
    assert.equal(serverStateWords('MAINT (via demo_blue/app)'), 'in maintenance');
    assert.equal(serverStateWords('NOLB'), 'up, taking no new traffic');
    assert.equal(serverStateWords('no check'), 'not checked');
    assert.equal(serverStateWords('SOMETHING NEW'), 'SOMETHING NEW');
    assert.equal(checkWords('L7OK'), 'checks pass');
    assert.equal(checkWords('* L4CON'), 'connection refused');
    assert.equal(checkWords('INI'), 'starting');
    assert.equal(checkWords('L9XYZ'), 'L9XYZ');
    assert.equal(checkWords(undefined), undefined);
  });

  it('counts agree with their nouns', () => {
    assert.deepEqual([0, 1, 2].map((n) => counted(n, 'switch', 'switches')), ['0 switches', '1 switch', '2 switches']);
    assert.deepEqual([1, 3].map((n) => counted(n, 'request')), ['1 request', '3 requests']);
  });

  it("the lock's since and the last switch time, written by anyone on the LB, are shown redacted on one line", () => {
    assert.equal(parseLockHolder('held\n{"who":"ann","operation":"release","since":"DB_PASSWORD=hunter2"}')?.since, 'DB_PASSWORD=***');
    const read = parseState(JSON.stringify({ live: 'blue', lastSwitch: 'via https://ci:glpat-abc@gitlab.example/x\nsecond line' }));
    assert.equal(read.kind === 'ok' && read.state.lastSwitch, 'via https://***@gitlab.example/x second line');
  });
});
