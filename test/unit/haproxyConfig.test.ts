import * as assert from 'node:assert/strict';
import { backendExists, findRouting, hasIdleCloseOnResponse, idleCloseSetting, lineWords, withRouting } from '../../src/core/haproxy/config';
import { strayRoutes, strayRoutesIn } from '../../src/core/haproxy/strayRoutes';

const SHARED = `global
    log /dev/log local0

defaults
    mode http
    option idle-close-on-response

frontend http_front
    bind *:80
    acl is_theoshift hdr(host) -i theoshift.example
    acl is_attendant hdr(host) -i attendant.example
    use_backend theoshift_blue if is_theoshift
    use_backend attendant_green if is_attendant   # trailing comment
    default_backend fallback

frontend jw_attendant
    bind *:8080
    default_backend jw_attendant_blue
    no option idle-close-on-response

backend theoshift_blue
    server b 10.0.0.1:3001 check
backend theoshift_green
    server g 10.0.0.2:3001 check
`;

describe('haproxy.cfg routing', () => {
  it('finds default_backend and use_backend … if acl rules', () => {
    assert.deepEqual(findRouting(SHARED, 'jw_attendant'), { shape: 'default_backend', backend: 'jw_attendant_blue', line: 17 });
    assert.deepEqual(findRouting(SHARED, 'http_front', 'is_theoshift'), { shape: 'use_backend', backend: 'theoshift_blue', line: 11 });
    assert.equal(findRouting(SHARED, 'http_front', 'is_attendant').backend, 'attendant_green');
  });

  it('says what is missing', () => {
    assert.throws(() => findRouting(SHARED, 'nope'), /frontend "nope" is not defined/);
    assert.throws(() => findRouting(SHARED, 'http_front', 'is_other'), /no "use_backend <backend> if is_other" rule/);
    assert.throws(() => findRouting(SHARED.replace('default_backend fallback', 'default_backend fallback\n    default_backend other'), 'http_front'), /2 default_backend lines/);
  });

  it('rewrites only this app\'s rule, keeping every other byte', () => {
    const next = withRouting(SHARED, 'http_front', 'is_theoshift', 'theoshift_green');
    const before = SHARED.split('\n');
    const after = next.split('\n');
    assert.equal(after.length, before.length);
    after.forEach((line, i) => {
      if (i === 11) assert.equal(line, '    use_backend theoshift_green if is_theoshift');
      else assert.equal(line, before[i], `line ${i + 1} changed`);
    });
    const other = withRouting(SHARED, 'http_front', 'is_attendant', 'attendant_blue');
    assert.equal(other.split('\n')[12], '    use_backend attendant_blue if is_attendant   # trailing comment');
    assert.equal(withRouting(SHARED, 'jw_attendant', undefined, 'jw_attendant_green').split('\n')[17], '    default_backend jw_attendant_green');
  });

  it('knows whether idle-close-on-response applies to a frontend', () => {
    assert.equal(hasIdleCloseOnResponse(SHARED, 'http_front'), true);
    assert.equal(hasIdleCloseOnResponse(SHARED, 'jw_attendant'), false);
    assert.equal(hasIdleCloseOnResponse(SHARED.replace('    option idle-close-on-response\n', ''), 'http_front'), false);
  });

  it('another option (option httplog) is not idle-close-on-response: the doctor keeps warning', () => {
    const httplog = SHARED.replace('    option idle-close-on-response\n', '    option httplog\n');
    assert.equal(hasIdleCloseOnResponse(httplog, 'http_front'), false);
    assert.deepEqual(idleCloseSetting(httplog, 'http_front'), { value: 'unset' });
    assert.deepEqual(idleCloseSetting(SHARED, 'http_front'), { value: 'on', line: 5 });
    assert.deepEqual(idleCloseSetting(SHARED, 'jw_attendant'), { value: 'off', line: 18 });
    // `no option httplog` negates nothing of idle-close.
    assert.deepEqual(idleCloseSetting(SHARED.replace('    no option idle-close-on-response', '    no option httplog'), 'jw_attendant'), { value: 'on', line: 5 });
  });

  it("a use_backend … unless <acl> rule is not the app's routing line, and a switch does not rewrite it", () => {
    const unless = SHARED.replace('use_backend theoshift_blue if is_theoshift', 'use_backend theoshift_blue unless is_theoshift');
    assert.throws(() => findRouting(unless, 'http_front', 'is_theoshift'), /has no "use_backend <backend> if is_theoshift" rule/);
    assert.throws(() => withRouting(unless, 'http_front', 'is_theoshift', 'theoshift_green'), /has no "use_backend <backend> if is_theoshift" rule/);
    // Nor is a rule with more conditions than the app's ACL.
    const more = SHARED.replace('use_backend theoshift_blue if is_theoshift', 'use_backend theoshift_blue if is_theoshift is_beta');
    assert.throws(() => findRouting(more, 'http_front', 'is_theoshift'), /has no "use_backend <backend> if is_theoshift" rule/);
  });

  it("each of HAProxy's section keywords ends the section before it, however indented", () => {
    const keywords = ['global', 'defaults', 'frontend', 'backend', 'listen', 'userlist', 'peers', 'resolvers', 'program', 'http-errors', 'ring', 'cache', 'mailers', 'crt-store', 'traces', 'log-forward', 'namespace_list', 'acme'];
    for (const keyword of keywords) {
      for (const indent of ['', '  ']) {
        const config = `frontend demo\n    bind :80\n    default_backend demo_blue\n${indent}${keyword} x\n    default_backend demo_green\n`;
        assert.equal(findRouting(config, 'demo').backend, 'demo_blue', `${keyword}, indented "${indent}"`);
      }
    }
    assert.throws(() => findRouting('frontend demo\n    default_backend demo_blue\nsection x\n    default_backend demo_green\n', 'demo'), /2 default_backend lines/, 'a word that is not a section keyword starts none');
  });

  it('a frontend named by an environment variable cannot be told from the one configured: refused, and said where', () => {
    const env = 'global\n    log stdout local0\nfrontend "${FRONT}"\n    bind :80\n    default_backend demo_blue\n';
    assert.throws(() => findRouting(env, 'demo'), (e: Error) => e.message === 'frontend "demo" is not in the HAProxy config, unless it is the frontend at line 3, named by an environment variable (${FRONT}) whose value Blue-Green cannot know: write its name');
    assert.throws(() => findRouting('frontend web\n    default_backend x\n', 'demo'), (e: Error) => e.message === 'frontend "demo" is not defined in the HAProxy config');
  });

  it('a backend named by an environment variable is refused, not switched: its value cannot be known here', () => {
    const env = DEFAULT_SHAPE.replace('default_backend demo_blue', 'default_backend "${SLOT}"');
    assert.throws(() => findRouting(env, 'demo'), (e: Error) => e.message === 'frontend "demo" names its backend with an environment variable (${SLOT}, line 6), whose value Blue-Green cannot know: write the backend\'s name');
  });

  it('conditional blocks: any .if/.elif/.else/.endif in the frontend, or one still open where it starts, is refused', () => {
    for (const directive of ['.if defined(X)', '.elif defined(X)', '.else', '.endif']) {
      assert.throws(() => findRouting(withLine(DEFAULT_SHAPE, 'bind :8080', directive), 'demo'), new RegExp(`has a conditional block \\(${directive.split(' ')[0].replace('.', '\\.')} at line 6\\)`), directive);
    }
    const nested = `.if defined(A)\n.if defined(B)\n.endif\n${DEFAULT_SHAPE}.endif\n`;
    assert.throws(() => findRouting(nested, 'demo'), /is inside the conditional block opened at line 1/);
    const closed = `.if defined(A)\n.if defined(B)\n.endif\n.endif\n${DEFAULT_SHAPE}`;
    assert.equal(findRouting(closed, 'demo').backend, 'demo_blue');
  });

  it('a section whose existence depends on a condition is refused where it decides the routing: a defaults section, or settings after the block', () => {
    const defaults = `.if defined(A)\ndefaults\n    default_backend demo_green\n.endif\n${DEFAULT_SHAPE}`;
    assert.throws(() => findRouting(defaults, 'demo'), (e: Error) => e.message === "the defaults section at line 2 is inside the conditional block opened at line 1, so which settings the sections after it take depends on it; Blue-Green does not evaluate HAProxy's conditions: move the section out of .if/.endif blocks");
    const after = `${DEFAULT_SHAPE}.if defined(A)\nbackend extra\n    server e 10.0.0.3:3001\n.endif\n    server f 10.0.0.4:3001\n`;
    assert.throws(() => findRouting(after, 'demo'), (e: Error) => e.message === "the backend section at line 13 is inside the conditional block opened at line 12, so line 16 after it belongs to one section or another depending on it; Blue-Green does not evaluate HAProxy's conditions: move the section out of .if/.endif blocks");
    // A section in a block, followed by another section (or nothing): every line's section is known.
    const fine = `${DEFAULT_SHAPE}.if defined(A)\nbackend extra\n    server e 10.0.0.3:3001\n.endif\n\nbackend more\n    server f 10.0.0.4:3001\n`;
    assert.equal(findRouting(fine, 'demo').backend, 'demo_blue');
    assert.equal(findRouting(`${DEFAULT_SHAPE}.if defined(A)\nbackend extra\n.endif\n`, 'demo').backend, 'demo_blue');
    // A block with no section in it decides no section.
    assert.equal(findRouting(`${DEFAULT_SHAPE}.if defined(A)\n    server e 10.0.0.3:3001\n.endif\n    server f 10.0.0.4:3001\n`, 'demo').backend, 'demo_blue');
  });

  it('a default_backend inherited through a chain of defaults sections (from … from …) is found where it is set', () => {
    const chain = `defaults base\n    default_backend demo_blue\n\ndefaults web from base\n    mode http\n\nfrontend demo from web\n    bind :80\n`;
    assert.deepEqual(findRouting(chain, 'demo'), { shape: 'default_backend', backend: 'demo_blue', line: 1, inheritedFrom: 'base' });
    // Without `from`, a defaults section starts afresh: nothing is inherited past it.
    const fresh = chain.replace('defaults web from base', 'defaults web');
    assert.throws(() => findRouting(fresh, 'demo'), /has no default_backend/);
    // The last defaults section before the frontend, not an earlier one.
    const last = `defaults\n    default_backend demo_green\n\ndefaults\n    default_backend demo_blue\n\nfrontend demo\n    bind :80\n`;
    assert.equal(findRouting(last, 'demo').backend, 'demo_blue');
    assert.throws(() => withRouting(chain, 'demo', undefined, 'demo_green'), (e: Error) => e.message === 'frontend "demo" takes its default_backend from the defaults section "base" (line 2), which other frontends may share; add "default_backend demo_blue" to frontend "demo" so a switch changes only this app');
  });

  it('a switch rewrites the backend word as written, quotes included, and nothing else on the line', () => {
    const quoted = DEFAULT_SHAPE.replace('    default_backend demo_blue', '    default_backend "demo_blue"   # live');
    assert.equal(withRouting(quoted, 'demo', undefined, 'demo_green').split('\n')[5], '    default_backend demo_green   # live');
    const crlf = DEFAULT_SHAPE.replace(/\n/g, '\r\n');
    assert.equal(withRouting(crlf, 'demo', undefined, 'demo_green'), crlf.replace('default_backend demo_blue', 'default_backend demo_green'));
  });

  it('the words of a line as HAProxy reads them; a line past the end has none', () => {
    assert.deepEqual(lineWords(SHARED, 12), ['use_backend', 'attendant_green', 'if', 'is_attendant']);
    assert.deepEqual(lineWords(SHARED, 500), []);
  });

  it("the app's rule in a shared frontend is a use_backend on its ACL alone: two are refused, by line; other rules on the ACL are not it", () => {
    const twice = SHARED.replace('    use_backend attendant_green', '    use_backend theoshift_green if is_theoshift\n    use_backend attendant_green');
    assert.throws(() => findRouting(twice, 'http_front', 'is_theoshift'), (e: Error) => e.message === 'frontend "http_front" has 2 "use_backend … if is_theoshift" rules (lines 12, 13); keep exactly one');
    const deny = SHARED.replace('    use_backend theoshift_blue if is_theoshift', '    http-request deny if is_theoshift\n    use_backend theoshift_blue if is_theoshift');
    assert.deepEqual(findRouting(deny, 'http_front', 'is_theoshift'), { shape: 'use_backend', backend: 'theoshift_blue', line: 12 });
  });

  it('the defaults a frontend takes are the last ones before it, never ones after it', () => {
    const after = `defaults\n    default_backend demo_blue\n\nfrontend demo\n    bind :80\n\ndefaults\n    default_backend demo_green\n`;
    assert.equal(findRouting(after, 'demo').backend, 'demo_blue');
    assert.throws(() => findRouting('frontend demo\n    bind :80\n\ndefaults\n    default_backend demo_green\n', 'demo'), /has no default_backend/);
  });

  it('conditional sections: a block right after another, or an .endif with no .if, decides nothing about the frontend', () => {
    const blocks = `${DEFAULT_SHAPE}.if defined(A)\nbackend extra\n.endif\n.if defined(B)\nbackend more\n.endif\n`;
    assert.equal(findRouting(blocks, 'demo').backend, 'demo_blue');
    assert.equal(findRouting(`.endif\n${DEFAULT_SHAPE}`, 'demo').backend, 'demo_blue');
  });

  it("idle-close is read from the frontend's own lines, not from the section before it", () => {
    const before = `backend x\n    option idle-close-on-response\nfrontend demo\n    bind :80\n    default_backend demo_blue\n`;
    assert.deepEqual(idleCloseSetting(before, 'demo'), { value: 'unset' });
  });

  it('finds backends', () => {
    assert.ok(backendExists(SHARED, 'theoshift_green'));
    assert.ok(backendExists('listen demo_green\n    bind :80\n', 'demo_green'), 'a listen section is a backend too');
    assert.ok(!backendExists(SHARED, 'http_front'), 'a frontend is not');
    assert.ok(!backendExists(SHARED, 'jw_attendant_green'));
  });

  const DEFAULT_SHAPE = `defaults
    mode http

frontend demo
    bind :8080
    default_backend demo_blue

backend demo_blue
    server b 10.0.0.1:3001 check
backend demo_green
    server g 10.0.0.2:3001 check
`;
  const SLOTS = ['demo_blue', 'demo_green'];
  const withLine = (config: string, after: string, line: string) => config.replace(after, `${after}\n    ${line}`);

  it('hardening: any other rule of the frontend that sends traffic to a slot backend is a traffic split, named by line (RELIABILITY row 23)', () => {
    assert.deepEqual(strayRoutes(DEFAULT_SHAPE, 'demo', undefined, SLOTS), []);
    const byPath = withLine(DEFAULT_SHAPE, 'bind :8080', 'use_backend demo_green if { path_beg /api }');
    assert.deepEqual(strayRoutes(byPath, 'demo', undefined, SLOTS), [{ line: 6, text: 'use_backend demo_green if { path_beg /api }', section: 'demo' }]);
    const computed = withLine(DEFAULT_SHAPE, 'bind :8080', 'use_backend %[req.hdr(x-slot),lower]   # by header');
    assert.deepEqual(strayRoutes(computed, 'demo', undefined, SLOTS), [{ line: 6, text: 'use_backend %[req.hdr(x-slot),lower]', section: 'demo' }]);
    // Shared frontend: a second rule for the app, and a default_backend that is a slot's.
    const second = SHARED.replace('    use_backend attendant_green', '    use_backend theoshift_green if is_theoshift { path_beg /beta }\n    use_backend attendant_green');
    assert.deepEqual(strayRoutes(second, 'http_front', 'is_theoshift', ['theoshift_blue', 'theoshift_green']).map((r) => r.line), [13]);
    const fallback = SHARED.replace('default_backend fallback', 'default_backend theoshift_blue');
    assert.deepEqual(strayRoutes(fallback, 'http_front', 'is_theoshift', ['theoshift_blue', 'theoshift_green']).map((r) => r.text), ['default_backend theoshift_blue']);
    // Another app's rules are not this app's split.
    assert.deepEqual(strayRoutes(SHARED, 'http_front', 'is_theoshift', ['theoshift_blue', 'theoshift_green']), []);
  });

  it('a slot routed by a second frontend is flagged, not only by the app\'s own', () => {
    const second = `${DEFAULT_SHAPE}\nfrontend admin\n    bind :8081\n    use_backend demo_green if { path_beg /api }\n    default_backend admin_app\n`;
    assert.deepEqual(strayRoutes(second, 'demo', undefined, SLOTS), [{ line: 15, text: 'use_backend demo_green if { path_beg /api }', section: 'admin' }]);
    // The app's frontend after another one: its own line is still its own, the other's rule still a split.
    const first = `frontend admin\n    bind :8081\n    use_backend demo_green if { path_beg /api }\n\n${DEFAULT_SHAPE}`;
    assert.deepEqual(strayRoutes(first, 'demo', undefined, SLOTS), [{ line: 3, text: 'use_backend demo_green if { path_beg /api }', section: 'admin' }]);
  });

  it('every rule that sends traffic to a slot is named, in file order, however many there are in one frontend or several', () => {
    const two = withLine(withLine(DEFAULT_SHAPE, 'bind :8080', 'use_backend demo_green if { path_beg /api }'), 'bind :8080', 'use_backend demo_green if { path_beg /beta }\n    acl x always_true');
    assert.deepEqual(strayRoutes(two, 'demo', undefined, SLOTS).map((r) => [r.line, r.section]), [[6, 'demo'], [8, 'demo']]);
    // A frontend's own rule after the defaults line it would otherwise inherit: sorted by line.
    const inherits = `defaults\n    default_backend demo_green\n\nfrontend demo\n    bind :8080\n    use_backend demo_blue if is_demo\n\nfrontend admin\n    bind :8081\n    use_backend demo_green if { path_beg /api }\n`;
    assert.deepEqual(strayRoutes(inherits, 'demo', 'is_demo', SLOTS).map((r) => [r.line, r.section]), [[2, 'demo'], [2, 'admin'], [10, 'admin']]);
  });

  it('two frontends that inherit a slot from the same defaults are each named; the app\'s own inherited routing is not', () => {
    const shared = `defaults\n    default_backend demo_blue\n\nfrontend demo\n    bind :8080\n\nfrontend other\n    bind :8081\n\nfrontend third\n    bind :8082\n`;
    assert.deepEqual(strayRoutes(shared, 'demo', undefined, SLOTS).map((r) => [r.line, r.section]), [[2, 'other'], [2, 'third']]);
  });

  it('a slot written as a listen section takes connections by its bind line (wherever it is in the section); a listen without bind, or not a slot, does not', () => {
    const listen = (body: string) => `${DEFAULT_SHAPE.replace('backend demo_green\n    server g 10.0.0.2:3001 check\n', '')}listen demo_green\n${body}`;
    assert.deepEqual(strayRoutes(listen('    mode http\n    bind :9000\n    server g 10.0.0.2:3001 check\n'), 'demo', undefined, SLOTS), [{ line: 12, text: 'bind :9000', section: 'demo_green' }]);
    assert.deepEqual(strayRoutes(listen('    mode http\n    server g 10.0.0.2:3001 check\n'), 'demo', undefined, SLOTS), []);
    // Without a bind of its own, a bind in the section before or after it is not its.
    assert.deepEqual(strayRoutes(`${listen('    server g 10.0.0.2:3001 check\n')}frontend admin\n    bind :8081\n    default_backend admin_app\n`, 'demo', undefined, SLOTS), []);
    assert.deepEqual(strayRoutes(`frontend admin\n    bind :8081\n    default_backend admin_app\nlisten demo_green\n    server g 10.0.0.2:3001 check\n${DEFAULT_SHAPE.replace('backend demo_green\n    server g 10.0.0.2:3001 check\n', '')}`, 'demo', undefined, SLOTS), []);
    assert.deepEqual(strayRoutes(`frontend admin\n    default_backend admin_app\n    bind :8081\nlisten demo_green\n    server g 10.0.0.2:3001 check\n${DEFAULT_SHAPE.replace('backend demo_green\n    server g 10.0.0.2:3001 check\n', '')}`, 'demo', undefined, SLOTS), [], 'the line just before it is not its bind');
    // A frontend may share a slot backend's name: its bind is a frontend's, whose routing is read as any other.
    assert.deepEqual(strayRoutes(`${DEFAULT_SHAPE}frontend demo_green\n    bind :9000\n    default_backend admin_app\n`, 'demo', undefined, SLOTS), []);
    const stats = withLine(DEFAULT_SHAPE, 'server g 10.0.0.2:3001 check', '\nlisten stats\n    bind :8404\n    stats enable');
    assert.deepEqual(strayRoutes(stats, 'demo', undefined, SLOTS), []);
  });

  it('only use_backend and default_backend route: an ACL or a header named like a slot is not a route', () => {
    const named = withLine(DEFAULT_SHAPE, 'bind :8080', 'acl demo_green path_beg /green\n    http-request set-var(txn.slot) str(demo_green)');
    assert.deepEqual(strayRoutes(named, 'demo', undefined, SLOTS), []);
  });

  it('a rule is shown as written, one line: its comment and line end left out, a carriage return inside it a space', () => {
    const crlf = withLine(DEFAULT_SHAPE, 'bind :8080', 'use_backend demo_green if { path_beg /api }   # beta').replace(/\n/g, '\r\n');
    assert.deepEqual(strayRoutes(crlf, 'demo', undefined, SLOTS).map((r) => r.text), ['use_backend demo_green if { path_beg /api }']);
    const inner = withLine(DEFAULT_SHAPE, 'bind :8080', 'use_backend demo_green if { path_beg /api }\rx');
    assert.deepEqual(strayRoutes(inner, 'demo', undefined, SLOTS).map((r) => r.text), ['use_backend demo_green if { path_beg /api } x']);
  });

  it('in another file the running HAProxy loads, every use_backend or default_backend that may name a slot is a split', () => {
    const confd = `frontend admin\n    bind :8081\n    default_backend demo_blue\n    use_backend admin_app if { path_beg /x }\n    acl demo_green path_beg /g\nlisten api\n    bind :8082\n    use_backend %[req.hdr(x-slot)]\n`;
    assert.deepEqual(strayRoutesIn('conf.d/admin.cfg', confd, SLOTS), [
      { line: 3, text: 'default_backend demo_blue', section: 'admin', file: 'conf.d/admin.cfg' },
      { line: 8, text: 'use_backend %[req.hdr(x-slot)]', section: 'api', file: 'conf.d/admin.cfg' },
    ]);
  });

  it('hardening: conditional blocks around or inside the frontend are refused, not guessed (RELIABILITY row 23)', () => {
    const around = DEFAULT_SHAPE.replace('frontend demo', '.if version_atleast(2.5)\nfrontend demo').replace('backend demo_blue', '.endif\nbackend demo_blue');
    assert.throws(() => findRouting(around, 'demo'), /frontend "demo" is inside the conditional block opened at line 4; Blue-Green does not evaluate/);
    const inside = withLine(DEFAULT_SHAPE, 'bind :8080', '.if defined(CANARY)\n    use_backend demo_green\n    .endif');
    assert.throws(() => findRouting(inside, 'demo'), /has a conditional block \(\.if at line 6\)/);
    assert.throws(() => withRouting(inside, 'demo', undefined, 'demo_green'), /conditional block/);
    // A block elsewhere is none of the frontend's business.
    const elsewhere = `.if defined(DEBUG)\nglobal\n    log stdout local0\n.endif\n${DEFAULT_SHAPE}`;
    assert.equal(findRouting(elsewhere, 'demo').backend, 'demo_blue');
  });

  it('hardening: a frontend declared twice is refused', () => {
    const twice = `${DEFAULT_SHAPE}\nfrontend demo\n    bind :8081\n    default_backend demo_green\n`;
    assert.throws(() => findRouting(twice, 'demo'), /frontend "demo" is declared 2 times \(lines 4, 13\)/);
  });

  it('hardening: a default_backend inherited from a defaults section (named or not) is read, and a switch of it refused', () => {
    const inherited = DEFAULT_SHAPE.replace('    default_backend demo_blue\n', '').replace('    mode http', '    mode http\n    default_backend demo_green');
    assert.deepEqual(findRouting(inherited, 'demo'), { shape: 'default_backend', backend: 'demo_green', line: 2, inheritedFrom: '' });
    assert.throws(() => withRouting(inherited, 'demo', undefined, 'demo_blue'), /takes its default_backend from the defaults section \(line 3\), which other frontends may share; add "default_backend demo_green" to frontend "demo"/);
    const named = `defaults web\n    default_backend demo_blue\n\n${inherited.replace('frontend demo', 'frontend demo from web')}`;
    assert.deepEqual(findRouting(named, 'demo'), { shape: 'default_backend', backend: 'demo_blue', line: 1, inheritedFrom: 'web' });
    // The frontend's own line wins over the defaults.
    assert.equal(findRouting(DEFAULT_SHAPE.replace('    mode http', '    mode http\n    default_backend demo_green'), 'demo').backend, 'demo_blue');
  });
});
