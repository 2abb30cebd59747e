import * as assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config/load';
import { cannotTellLive, GATES } from '../../src/core/plan/gates';
import { preflight, refusalOf } from '../../src/core/plan/preflight';
import { Evidence, Finding, Intent, OperationKind } from '../../src/core/plan/types';
import { AppSnapshot, SlotSnapshot } from '../../src/core/status/snapshot';
import { redact } from '../../src/core/redact';

const YAML = (loadBalancers: string) => `version: 1
apps:
  - name: demo
${loadBalancers}
    slots:
      blue:  { ssh: jwa, backend: demo_blue,  url: "http://10.0.0.1:3001", dir: /opt/demo, pm2: demo-blue }
      green: { ssh: jwg, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo-green }
`;
const LB = (ssh: string, indent: string) => [`ssh: ${ssh}`, 'config: /etc/haproxy/haproxy.cfg', 'frontend: web', 'reload: systemctl reload haproxy', 'stateFile: /var/lib/haproxy/demo.json', `frontendUrl: http://${ssh}/`].join(`\n${indent}`);
const ONE = parseConfig(YAML(`    loadBalancer:\n      ${LB('haproxy', '      ')}`), '/work/bluegreen.yaml').apps[0];
const PAIR = parseConfig(YAML(`    loadBalancers:\n      - ${LB('haproxy', '        ')}\n      - ${LB('haproxy2', '        ')}`), '/work/bluegreen.yaml').apps[0];

function slot(name: 'blue' | 'green', s: Partial<SlotSnapshot> = {}): SlotSnapshot {
  const base = { host: name === 'blue' ? 'jwa' : 'jwg', url: `http://${name}:3001`, reachable: true, health: 'up' as const, version: name === 'blue' ? '1.1.0' : '1.2.0', commit: (name === 'blue' ? 'a' : 'b').repeat(40) };
  return { ...base, name, role: name === 'blue' ? 'LIVE' : 'STANDBY', servers: [{ ...base, server: base.host }], ...s };
}

type Lb = AppSnapshot['lb'];
const lbOf = (host: string, o: Partial<Lb> = {}): Lb => ({ host, reachable: true, frontend: 'web', backend: 'demo_blue', routesTo: 'blue', routingLine: 12, state: { file: '/s', status: 'ok', live: 'blue', standby: 'green', history: [] }, ...o });

/** BLUE LIVE, GREEN a healthy, newer STANDBY, on one LB or a pair (the second as given). */
function app(o: { lb?: Partial<Lb>; second?: Partial<Lb>; blue?: Partial<SlotSnapshot>; green?: Partial<SlotSnapshot>; drift?: AppSnapshot['drift'] } = {}): AppSnapshot {
  const lbs = [lbOf('haproxy', o.lb), ...(o.second ? [lbOf('haproxy2', o.second)] : [])];
  return { name: 'demo', live: 'blue', standby: 'green', lb: lbs[0], lbs, slots: { blue: slot('blue', o.blue), green: slot('green', o.green) }, drift: o.drift ?? [] };
}

const findings = (snap: AppSnapshot, intent: Intent, config = ONE, evidence?: Evidence) => preflight(snap, config, intent, evidence).findings;
const said = (f: Finding) => [f.gate, f.severity, f.host, f.sentence];
const refusal = (snap: AppSnapshot, intent: Intent, config = ONE, evidence?: Evidence) => {
  const r = refusalOf(preflight(snap, config, intent, evidence));
  return r && said(r);
};
const ALL: OperationKind[] = ['release', 'rollback', 'canary', 'end-canary', 'deploy', 'sync', 'fix-lb', 'reconcile'];
const CANARY = { percent: 10, key: 'src', line: 13, backend: 'demo_green', slot: 'green' as const };

describe('the gate table: which operation each gate stops, and what it says', () => {
  it('each gate applies to exactly its operations, with its severity', () => {
    assert.deepEqual(
      GATES.map((g) => [g.id, g.severity, ALL.filter((k) => g.applies.includes(k)).join(' '), !!g.emergency]),
      [
        ['traffic-split', 'refuse', 'release rollback canary end-canary deploy sync', false],
        ['traffic-reaches-standby', 'refuse', 'canary deploy sync', false],
        ['lb-unread', 'refuse', 'release rollback', false],
        ['lbs-disagree', 'refuse', 'release rollback canary end-canary deploy sync', true],
        ['not-switchable', 'refuse', 'release rollback canary end-canary', false],
        ['config-not-loaded', 'refuse', 'release rollback canary end-canary', true],
        ['state-drift', 'refuse', 'release rollback', true],
        ['no-canary', 'refuse', 'end-canary', false],
        ['watch-running', 'refuse', 'deploy sync', false],
        ['canary-on-standby', 'refuse', 'deploy sync', false],
        ['target-is-live', 'refuse', 'deploy', false],
        ['live-commit-known', 'refuse', 'sync', false],
        ['not-newer', 'warn', 'release canary', false],
        ['idle-close', 'warn', 'release rollback', false],
        ['standby-health', 'refuse', 'release rollback canary', true],
        ['servers-disagree', 'refuse', 'release rollback canary', true],
        ['smoke', 'refuse', 'release rollback canary', true],
        ['migrations', 'type', 'release canary deploy', false],
        ['staging-passed', 'refuse', 'release canary deploy', false],
        ['canary-ends', 'note', 'release rollback', false],
        ['drift', 'warn', 'release rollback', false],
      ],
    );
  });

  it('LIVE not known: each operation says why in its own words, with the LB\'s error when there is one', () => {
    const unknown = { ...app({ lb: { reachable: false, backend: undefined, routesTo: undefined } }), live: undefined, standby: undefined };
    const words = Object.fromEntries(ALL.map((k) => [k, cannotTellLive(unknown, k)]));
    assert.deepEqual(words, {
      release: 'cannot tell which slot is LIVE (unknown routing)',
      rollback: 'cannot tell which slot is LIVE (unknown routing)',
      canary: 'cannot tell which slot is LIVE (unknown routing)',
      'end-canary': 'cannot tell which slot is LIVE (unknown routing)',
      deploy: 'cannot tell which slot is LIVE (load balancer unreachable), so nothing may be changed',
      sync: 'cannot tell which slot is LIVE (load balancer unreachable), so nothing may be changed',
      'fix-lb': 'cannot tell which slot is LIVE (unknown), so a change could not be checked through the frontend',
      reconcile: 'cannot tell which slot is LIVE (unknown), so the state file cannot be told what HAProxy routes',
    });
    assert.deepEqual(refusal(unknown, { kind: 'sync' }), ['live-known', 'refuse', 'haproxy', words.sync]);
    // With LIVE known but STANDBY not, it is refused all the same.
    assert.equal(refusal({ ...app(), standby: undefined }, { kind: 'release' })?.[0], 'live-known');
  });

  it('a split of traffic is named on the LB that has it', () => {
    const stray = [{ line: 14, text: 'use_backend demo_green if { path_beg /beta }', section: 'web' }];
    for (const kind of ['rollback', 'end-canary', 'sync'] as const) {
      assert.deepEqual(refusal(app({ second: { strayRoutes: stray, canary: CANARY } }), { kind }, PAIR)?.slice(0, 3), ['traffic-split', 'refuse', 'haproxy2'], kind);
    }
    assert.equal(findings(app({ lb: { strayRoutes: stray } }), { kind: 'fix-lb' }).length, 0, 'fixing the LB is not refused for it');
  });

  it("HAProxy's count of users reaching STANDBY is named on the LB that counted it", () => {
    const drift = (lb?: string) => [{ kind: 'traffic-reaches-standby' as const, message: 'traffic reaches STANDBY GREEN', lb }];
    assert.deepEqual(refusal(app({ drift: drift('haproxy2') }), { kind: 'deploy' }), ['traffic-reaches-standby', 'refuse', 'haproxy2', 'traffic reaches STANDBY GREEN']);
    assert.deepEqual(refusal(app({ drift: drift() }), { kind: 'deploy' }), ['traffic-reaches-standby', 'refuse', 'haproxy', 'traffic reaches STANDBY GREEN']);
  });

  it('a switch refuses an LB of the pair whose routing cannot be read, and says which and why', () => {
    assert.deepEqual(refusal(app({ second: { reachable: false, error: 'timed out', backend: undefined, routesTo: undefined } }), { kind: 'release' }, PAIR), ['lb-unread', 'refuse', 'haproxy2', 'cannot read the routing on haproxy2 (timed out): a release switches every load balancer of demo or none']);
    assert.deepEqual(refusal(app({ second: { reachable: true, backend: undefined, routesTo: undefined } }), { kind: 'rollback' }, PAIR), ['lb-unread', 'refuse', 'haproxy2', 'cannot read the routing on haproxy2 (unreachable): a release switches every load balancer of demo or none']);
  });

  it('a pair that disagrees: each operation is told what it may do about it', () => {
    const split = app({ second: { backend: 'demo_green', routesTo: 'green' } });
    const disagree = 'the load balancers do not agree (haproxy routes to BLUE, haproxy2 routes to GREEN): traffic goes to whichever slot the LB holding the address picks';
    assert.deepEqual(refusal(split, { kind: 'canary', percent: 10 }, PAIR), ['lbs-disagree', 'refuse', 'haproxy', disagree]);
    assert.deepEqual(refusal(split, { kind: 'end-canary' }, PAIR), ['lbs-disagree', 'refuse', 'haproxy', disagree]);
    assert.deepEqual(refusal(split, { kind: 'release' }, PAIR), ['lbs-disagree', 'refuse', undefined, `${disagree}. An emergency release switches every one to GREEN`]);
    assert.deepEqual(refusal(split, { kind: 'deploy' }, PAIR), ['lbs-disagree', 'refuse', undefined, `${disagree}. Deploy, sync and release are refused until they agree; an emergency release switches every one`]);
    // An emergency release goes past it without repeating it (the drift lists it).
    const emergency = findings(split, { kind: 'release', emergency: true }, PAIR).find((f) => f.gate === 'lbs-disagree');
    assert.deepEqual(emergency && [emergency.severity, emergency.quiet, emergency.emergencyPasses], ['warn', true, true]);
  });

  it('routing that cannot be rewritten refuses what rewrites it, and nothing else', () => {
    const inherited = app({ lb: { notSwitchable: 'the routing comes from a defaults section', canary: CANARY } });
    assert.deepEqual(refusal(inherited, { kind: 'end-canary' }), ['not-switchable', 'refuse', 'haproxy', 'the routing comes from a defaults section']);
    assert.equal(refusal(app({ lb: { notSwitchable: 'the routing comes from a defaults section' } }), { kind: 'deploy' }), undefined);
  });

  it('a config changed since HAProxy loaded it: the file named on its LB, with the reload and what to do next', () => {
    const notLoaded = (lb: string) => app({ drift: [{ kind: 'config-not-loaded', message: 'changed', lb }] });
    const sentence = (then: string, on = '') => `/etc/haproxy/haproxy.cfg${on} was changed after HAProxy last loaded it, so what HAProxy routes now may not be what the file says. Check the file, reload HAProxy (systemctl reload haproxy), then ${then}`;
    assert.deepEqual(refusal(notLoaded('haproxy'), { kind: 'release' }), ['config-not-loaded', 'refuse', 'haproxy', sentence('release; or use an emergency release')]);
    assert.deepEqual(refusal(notLoaded('haproxy'), { kind: 'rollback' }), ['config-not-loaded', 'refuse', 'haproxy', sentence('roll back; or use an emergency release')]);
    assert.deepEqual(refusal(notLoaded('haproxy'), { kind: 'canary', percent: 10 }), ['config-not-loaded', 'refuse', 'haproxy', sentence('try again')]);
    assert.deepEqual(refusal(notLoaded('haproxy2'), { kind: 'release' }, PAIR), ['config-not-loaded', 'refuse', 'haproxy2', sentence('release; or use an emergency release', ' on haproxy2')]);
    const emergency = findings(notLoaded('haproxy'), { kind: 'release', emergency: true }).find((f) => f.gate === 'config-not-loaded');
    assert.deepEqual(emergency && [emergency.severity, emergency.quiet], ['warn', true]);
  });

  it("the state file's drift refuses a switch, each finding named; other drift does not", () => {
    const drift: AppSnapshot['drift'] = [
      { kind: 'state-file-disagrees', message: 'the state file says GREEN' },
      { kind: 'watch-interrupted', message: 'a watch was interrupted' },
      { kind: 'state-file-corrupt', message: 'the state file is not JSON' },
    ];
    assert.deepEqual(refusal(app({ drift }), { kind: 'release' }), ['state-drift', 'refuse', 'haproxy', 'the state file and HAProxy disagree (the state file says GREEN; the state file is not JSON). Reconcile the state file first, or use an emergency release']);
    assert.equal(refusal(app({ drift: [drift[1]] }), { kind: 'release' }), undefined);
  });

  it("routing back to the state file's LIVE goes past its own disagreement, and only that", () => {
    const disagrees = { kind: 'state-file-disagrees' as const, message: 'the state file says GREEN is LIVE; HAProxy routes BLUE' };
    const saysGreen = { state: { file: '/s', status: 'ok' as const, live: 'green' as const, standby: 'blue' as const, history: [] } };
    const routeBack: Intent = { kind: 'release', routeBack: true };
    const back = findings(app({ lb: saysGreen, drift: [disagrees] }), routeBack);
    assert.equal(back.find((f) => f.severity === 'refuse'), undefined);
    assert.deepEqual(back.filter((f) => f.gate === 'state-drift' || f.gate === 'drift').map((f) => [f.gate, f.severity, f.sentence]), [['state-drift', 'note', 'The state file records GREEN as LIVE, HAProxy routes BLUE: this switch routes traffic back to GREEN, as the state file records.']]);
    // The same snapshot without routeBack: refused, as before.
    assert.equal(refusal(app({ lb: saysGreen, drift: [disagrees] }), { kind: 'release' })?.[0], 'state-drift');
    // Nothing to route back to: the state file agrees with HAProxy.
    assert.deepEqual(refusal(app(), routeBack), ['state-drift', 'refuse', 'haproxy', 'nothing to route back to: the state file on haproxy records BLUE as LIVE, and a switch would send traffic to GREEN']);
    // A state file that cannot be read names no LIVE to go back to.
    const corrupt = { kind: 'state-file-corrupt' as const, message: 'the state file is not JSON' };
    assert.deepEqual(refusal(app({ lb: { state: { file: '/s', status: 'corrupt', history: [] } }, drift: [corrupt] }), routeBack), ['state-drift', 'refuse', 'haproxy', 'cannot route back to what the state file records: the state file is not JSON']);
    assert.deepEqual(refusal(app({ lb: { state: { file: '/s', status: 'missing', history: [] } } }), routeBack), ['state-drift', 'refuse', 'haproxy', 'nothing to route back to: the state file on haproxy cannot be read (missing), and a switch would send traffic to GREEN']);
    // A pair: both state files must name GREEN.
    assert.deepEqual(refusal(app({ lb: saysGreen, second: {}, drift: [disagrees] }), routeBack, PAIR), ['state-drift', 'refuse', 'haproxy2', 'nothing to route back to: the state file on haproxy2 records BLUE as LIVE, and a switch would send traffic to GREEN']);
    assert.equal(refusal(app({ lb: saysGreen, second: saysGreen, drift: [disagrees] }), routeBack, PAIR), undefined);
    assert.deepEqual(refusal(app({ lb: { state: { file: '/s', status: 'ok', history: [] } } }), routeBack), ['state-drift', 'refuse', 'haproxy', 'nothing to route back to: the state file on haproxy records no slot as LIVE, and a switch would send traffic to GREEN']);
    // Other drift is still said in the dialog; an emergency release still lists the disagreement.
    const interrupted = { kind: 'watch-interrupted' as const, message: 'a watch was interrupted' };
    assert.deepEqual(findings(app({ lb: saysGreen, drift: [disagrees, interrupted] }), routeBack).filter((f) => f.gate === 'drift').map((f) => f.sentence), ['⚠ a watch was interrupted']);
    assert.deepEqual(findings(app({ lb: saysGreen, drift: [disagrees] }), { kind: 'release', emergency: true }).filter((f) => f.gate === 'drift').map((f) => f.sentence), [`⚠ ${disagrees.message}`]);
    // Every other gate still holds: STANDBY down is refused.
    assert.equal(refusal(app({ lb: saysGreen, drift: [disagrees], green: { health: 'down' } }), routeBack)?.[0], 'standby-health');
  });

  it('ending a canary that is on no LB is refused, naming where it was looked for', () => {
    assert.deepEqual(refusal(app(), { kind: 'end-canary' }), ['no-canary', 'refuse', 'haproxy', 'there is no canary of demo in /etc/haproxy/haproxy.cfg']);
    assert.deepEqual(refusal(app({ second: {} }), { kind: 'end-canary' }, PAIR), ['no-canary', 'refuse', 'haproxy', 'there is no canary of demo in /etc/haproxy/haproxy.cfg on any of its load balancers']);
    assert.equal(refusal(app({ second: { canary: CANARY } }), { kind: 'end-canary' }, PAIR), undefined);
  });

  it("a watch of LIVE keeps STANDBY (its fallback) as it is while time is left; another slot's or an ended watch does not", () => {
    const watch = (slot: 'blue' | 'green', ms: number) => ({ slot, until: new Date(Date.now() + ms).toISOString(), by: redact('ann@laptop'), since: new Date().toISOString() });
    const watched = (w: ReturnType<typeof watch>) => app({ lb: { state: { file: '/s', status: 'ok', live: 'blue', standby: 'green', history: [], watch: w } } });
    const r = refusal(watched(watch('blue', 600_000)), { kind: 'deploy' });
    assert.deepEqual(r?.slice(0, 3), ['watch-running', 'refuse', 'haproxy']);
    assert.match(String(r?.[3]), /^BLUE is being watched after its release \(started by ann@laptop, (9|10) min left\) and GREEN is the slot it would switch back to; changing it now would leave nothing to fall back on\. Wait for the watch to end, or stop it \(Stop Watching, bluegreen watch --stop\)$/);
    assert.equal(refusal(watched(watch('green', 600_000)), { kind: 'deploy' }), undefined);
    assert.equal(refusal(watched(watch('blue', -1000)), { kind: 'sync' }), undefined);
  });

  it('a canary on STANDBY keeps it from being changed; one on LIVE does not', () => {
    assert.deepEqual(refusal(app({ lb: { canary: CANARY } }), { kind: 'sync' }), ['canary-on-standby', 'refuse', 'haproxy', 'a canary sends 10% of the clients to GREEN, so it is not idle: end the canary (bluegreen canary --end) or release it first']);
    assert.equal(refusal(app({ lb: { canary: { ...CANARY, slot: 'blue' } } }), { kind: 'sync' }), undefined);
    assert.equal(refusal(app(), { kind: 'deploy', target: 'green' }), undefined, 'a deploy named to STANDBY goes ahead');
  });

  it("a sync needs LIVE's commit, and says why it has none", () => {
    assert.deepEqual(refusal(app({ blue: { commit: undefined } }), { kind: 'sync' }), ['live-commit-known', 'refuse', 'jwa', "cannot read LIVE BLUE's commit (no git checkout?)"]);
    assert.deepEqual(refusal(app({ blue: { commit: undefined, error: 'not a git repository' } }), { kind: 'sync' })?.[3], "cannot read LIVE BLUE's commit (not a git repository)");
    assert.deepEqual(refusal(app({ blue: { commit: undefined, error: 'e', serversDisagree: 'jwa1 and jwa2 differ' } }), { kind: 'sync' })?.[3], "cannot read LIVE BLUE's commit (jwa1 and jwa2 differ)");
  });

  it('a release of a STANDBY that is not newer is warned about, by version number, part by part', () => {
    const warned = (green?: string, blue?: string) => findings(app({ green: { version: green }, blue: { version: blue } }), { kind: 'release' }).filter((f) => f.gate === 'not-newer').map((f) => [f.severity, f.sentence]);
    assert.deepEqual(warned('1.1.0', '1.1.0'), [['warn', '⚠ STANDBY GREEN (v1.1.0) is not newer than LIVE BLUE (v1.1.0).']]);
    assert.deepEqual(warned('1.9.0', '1.10.0'), [['warn', '⚠ STANDBY GREEN (v1.9.0) is not newer than LIVE BLUE (v1.10.0).']]);
    assert.deepEqual(warned('v1.2', '1.2.0'), [['warn', '⚠ STANDBY GREEN (v1.2) is not newer than LIVE BLUE (v1.2.0).']]);
    assert.deepEqual(warned('1.2.0-beta.1', '1.2.0'), [['warn', '⚠ STANDBY GREEN (v1.2.0-beta.1) is not newer than LIVE BLUE (v1.2.0).']]);
    for (const [green, blue] of [['1.10.0', '1.9.0'], ['2.0.0', '1.99.99'], ['1.2.1', '1.2.0'], ['1.2', '1.1.9']]) assert.deepEqual(warned(green, blue), [], `${green} over ${blue}`);
    for (const [green, blue] of [['main', '1.0.0'], ['1.0.0', 'x.y'], ['1.x.0', '1.0.0'], ['1.0.0', '1.x.0'], ['1.v2.0', '1.2.0'], [undefined, '1.0.0'], ['1.0.0', undefined]]) assert.deepEqual(warned(green, blue), [], `${green} and ${blue} cannot be compared`);
  });

  it('a canary to an older STANDBY says so in its dialog, as a release does', () => {
    const canaryFindings = findings(app({ green: { version: '1.0.0' }, blue: { version: '1.2.0' } }), { kind: 'canary', percent: 10 }).filter((f) => f.gate === 'not-newer');
    assert.deepEqual(canaryFindings.map((f) => [f.severity, f.sentence]), [['warn', '⚠ STANDBY GREEN (v1.0.0) is not newer than LIVE BLUE (v1.2.0).']]);
    assert.deepEqual(findings(app({ green: { version: '1.0.0' }, blue: { version: '1.2.0' } }), { kind: 'end-canary' }).filter((f) => f.gate === 'not-newer'), []);
  });

  it('a switch warns of the idle connections a reload resets, offering the fix first when the doctor has one', () => {
    const idle = (fix?: object) => findings(app({ lb: { findings: [{ id: 'idle-close', severity: 'warn', message: 'm', ...(fix ? { fix } : {}) }] as unknown as Lb['findings'] } }), { kind: 'rollback' });
    const sentence = '⚠ This switch will reset the keep-alive connections idle at that moment (no option idle-close-on-response): a few requests may fail. Check Setup (bluegreen doctor --fix) adds it.';
    assert.deepEqual(idle({ text: 'x' }).map((f) => [f.gate, f.severity, f.sentence, f.fixFirst]), [['idle-close', 'warn', sentence, true]]);
    assert.deepEqual(idle().map((f) => f.fixFirst), [false]);
    assert.deepEqual(findings(app({ lb: { findings: [{ id: 'other', severity: 'warn', message: 'm' }] as unknown as Lb['findings'] } }), { kind: 'release' }), []);
  });

  it("STANDBY's health, its servers' code and its smoke tests: what is refused, what an emergency says instead", () => {
    const sick = (s: Partial<SlotSnapshot>) => refusal(app({ green: s }), { kind: 'release' });
    assert.deepEqual(sick({ health: 'down', error: 'connection refused' }), ['standby-health', 'refuse', 'jwg', 'STANDBY GREEN is not healthy (connection refused); traffic stays on BLUE']);
    assert.deepEqual(sick({ health: 'down' })?.[3], 'STANDBY GREEN is not healthy (down); traffic stays on BLUE');
    const emergency = (s: Partial<SlotSnapshot>) => findings(app({ green: s }), { kind: 'release', emergency: true }).map((f) => [f.gate, f.severity, f.sentence, f.overrode]);
    assert.deepEqual(emergency({ health: 'down', error: 'connection refused' }), [['standby-health', 'warn', '⚠ STANDBY GREEN is NOT healthy: connection refused.', undefined]]);
    assert.deepEqual(emergency({ health: 'down' }), [['standby-health', 'warn', '⚠ STANDBY GREEN is NOT healthy: down.', undefined]]);
    const differ = 'jwg1 runs bbbbbbb, jwg2 runs ccccccc';
    assert.deepEqual(sick({ serversDisagree: differ }), ['servers-disagree', 'refuse', 'jwg', `STANDBY GREEN's servers do not run the same code (${differ}); deploy to it again so they match. Traffic stays on BLUE`]);
    assert.deepEqual(refusal(app({ green: { serversDisagree: differ } }), { kind: 'canary', percent: 10 })?.[3], `STANDBY GREEN's servers do not run the same code (${differ}); deploy to it again so they match. No client is sent to it`);
    assert.deepEqual(emergency({ serversDisagree: differ }), [['servers-disagree', 'warn', `⚠ STANDBY GREEN's servers do not run the same code: ${differ}.`, undefined]]);
    const smoke = [
      { name: 'home', ok: true, detail: 'HTTP 200' },
      { name: 'api', ok: false, detail: 'HTTP 500, expected 200' },
    ];
    assert.deepEqual(sick({ smoke }), ['smoke', 'refuse', 'jwg', 'STANDBY GREEN fails 1 of 2 smoke tests: api (HTTP 500, expected 200); traffic stays on BLUE']);
    assert.deepEqual(emergency({ smoke }), [['smoke', 'warn', '⚠ 1 of 2 smoke tests failed: api (HTTP 500, expected 200).', '1 of 2 smoke tests failed: api (HTTP 500, expected 200)']]);
    const passing = [smoke[0], { ...smoke[1], ok: true }];
    assert.deepEqual(findings(app({ green: { smoke: passing } }), { kind: 'release' }).map(said), [['smoke', 'note', undefined, 'GREEN passes its 2 smoke test(s): home, api.']]);
    assert.deepEqual(findings(app({ green: { smoke: passing } }), { kind: 'canary', percent: 10 }), []);
    assert.deepEqual(findings(app({ green: { smoke: [] } }), { kind: 'release' }), []);
  });

  it('migrations: a clean report is a note, none is nothing; a refusal names the rollback it breaks and the way past it', () => {
    const clean: Evidence = { migrations: { report: { checker: 'the built-in check', files: [{ path: 'm/1.sql', added: true, unsafe: [] }] }, lines: ['Migrations changed (1): m/1.sql', 'none breaks a rollback'] } };
    assert.deepEqual(findings(app(), { kind: 'release' }, ONE, clean).map(said), [['migrations', 'note', undefined, 'Migrations changed (1): m/1.sql\nnone breaks a rollback']]);
    assert.deepEqual(findings(app(), { kind: 'release' }, ONE, { migrations: { lines: [] } }), []);
    const unsafe: Evidence = {
      migrations: {
        report: { checker: 'the built-in check', files: [{ path: 'm/2.sql', added: true, unsafe: [{ line: 1, operation: 'DROP COLUMN', text: 'ALTER TABLE users DROP COLUMN email;' }] }] },
        lines: ['Migrations changed (1): m/2.sql', '⚠ 1 statement(s) break a rollback'],
      },
    };
    assert.deepEqual(refusal(app(), { kind: 'deploy', unsafeMigrations: 'refuse' }, ONE, unsafe), ['migrations', 'refuse', 'jwg', 'the migrations between BLUE and GREEN break a rollback to BLUE v1.1.0 while both share one database: m/2.sql:1 DROP COLUMN — ALTER TABLE users DROP COLUMN email;. Go ahead anyway with --allow-unsafe-migrations']);
    const typed = findings(app(), { kind: 'deploy' }, ONE, unsafe).map((f) => [f.gate, f.severity, f.sentence, f.overrode]);
    assert.deepEqual(typed, [['migrations', 'type', 'Migrations changed (1): m/2.sql\n⚠ 1 statement(s) break a rollback', '1 migration statement(s) that break a rollback (the built-in check): m/2.sql:1 DROP COLUMN — ALTER TABLE users DROP COLUMN email;']]);
    assert.deepEqual(findings(app(), { kind: 'release', unsafeMigrations: 'allow' }, ONE, unsafe).map((f) => f.severity), ['warn']);
    assert.deepEqual(findings(app(), { kind: 'release', unsafeMigrations: 'ask' }, ONE, unsafe).map((f) => f.severity), ['type']);
    const two: Evidence = { migrations: { ...unsafe.migrations!, report: { checker: 'squawk', files: [{ path: 'm/2.sql', added: true, unsafe: [{ line: 1, operation: 'DROP COLUMN', text: 'a;' }, { line: 3, operation: 'DROP TABLE', text: 'b;' }] }] } } };
    assert.deepEqual(refusal(app(), { kind: 'release', unsafeMigrations: 'refuse' }, ONE, two)?.[3], 'the migrations between BLUE and GREEN break a rollback to BLUE v1.1.0 while both share one database: m/2.sql:1 DROP COLUMN — a;; m/2.sql:3 DROP TABLE — b;. Go ahead anyway with --allow-unsafe-migrations');
    assert.deepEqual(findings(app(), { kind: 'release' }, ONE, two)[0].overrode, '2 migration statement(s) that break a rollback (squawk): m/2.sql:1 DROP COLUMN — a;; m/2.sql:3 DROP TABLE — b;');
  });

  it('a switch with a canary set: promoting it or ending it, said as a note', () => {
    assert.deepEqual(findings(app({ lb: { canary: CANARY } }), { kind: 'release' }).map(said), [['canary-ends', 'note', undefined, 'Promotes the canary: 10% of clients go to GREEN now; its rule is removed in the same change.']]);
    assert.deepEqual(findings(app({ lb: { canary: { ...CANARY, slot: 'blue', backend: 'demo_blue' } } }), { kind: 'rollback' }).map(said), [['canary-ends', 'note', undefined, 'Ends the canary (10% to demo_blue): its rule is removed in the same change.']]);
  });

  it('any other drift is a warning on a switch, each its own', () => {
    const drift: AppSnapshot['drift'] = [
      { kind: 'watch-interrupted', message: 'a watch was interrupted' },
      { kind: 'config-not-named', message: 'HAProxy runs another file' },
    ];
    assert.deepEqual(findings(app({ drift }), { kind: 'release' }).map(said), [
      ['drift', 'warn', undefined, '⚠ a watch was interrupted'],
      ['drift', 'warn', undefined, '⚠ HAProxy runs another file'],
    ]);
    assert.deepEqual(findings(app({ drift }), { kind: 'deploy' }), []);
  });
});
