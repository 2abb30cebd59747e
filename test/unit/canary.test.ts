import * as assert from 'node:assert/strict';
import { canaryKeyText, findCanary, parseCanaryKey, withCanary, withoutCanary } from '../../src/core/haproxy/canary';
import { withRouting } from '../../src/core/haproxy/config';
import { strayRoutes } from '../../src/core/haproxy/strayRoutes';

const OWN = ['frontend web', '    bind :80', '    default_backend demo_blue', '', 'backend demo_blue', '    server b 10.0.0.1:3001 check', ''].join('\n');
const SHARED = ['frontend shared', '  bind :80', '  acl is_demo hdr(host) -i demo.example', '  acl is_shop hdr(host) -i shop.example', '  use_backend shop_blue if is_shop', '  use_backend demo_blue if is_demo', ''].join('\n');
const SOURCE = parseCanaryKey('source');

function diff(a: string, b: string): string[] {
  const [x, y] = [a.split('\n'), b.split('\n')];
  return y.filter((l) => !x.includes(l)).concat(x.filter((l) => !y.includes(l)).map((l) => `- ${l}`));
}

describe('canary rules in haproxy.cfg', () => {
  it('a default_backend frontend: one line before the routing line, with its indentation; nothing else changes', () => {
    const next = withCanary(OWN, 'web', undefined, 'demo', 'demo_green', SOURCE, 10);
    assert.deepEqual(diff(OWN, next), ['    use_backend demo_green if { src,crc32(1),mod(100) lt 10 } # bluegreen canary demo']);
    assert.equal(next.split('\n')[2], '    use_backend demo_green if { src,crc32(1),mod(100) lt 10 } # bluegreen canary demo');
    assert.deepEqual(findCanary(next, 'web', undefined, 'demo'), { line: 2, backend: 'demo_green', percent: 10, key: SOURCE });
    assert.equal(withoutCanary(next, 'web', undefined, 'demo'), OWN);
  });

  it("a shared frontend: the app's ACL and the rule, before the app's own rule; the other app's rules untouched", () => {
    const key = parseCanaryKey('cookie:sid');
    const next = withCanary(SHARED, 'shared', 'is_demo', 'demo', 'demo_green', key, 25);
    assert.deepEqual(diff(SHARED, next), ['  use_backend demo_green if is_demo { req.cook(sid) -m found } { req.cook(sid),crc32(1),mod(100) lt 25 } # bluegreen canary demo']);
    assert.equal(next.split('\n').indexOf('  use_backend demo_blue if is_demo') - 1, next.split('\n').findIndex((l) => l.includes('bluegreen canary demo')));
    assert.deepEqual(findCanary(next, 'shared', 'is_demo', 'demo'), { line: 5, backend: 'demo_green', percent: 25, key });
    assert.equal(findCanary(next, 'shared', 'is_shop', 'shop'), undefined);
    assert.deepEqual(strayRoutes(next, 'shared', 'is_demo', ['demo_blue', 'demo_green'], 'demo'), [], 'the canary is not a stray route');
    assert.equal(strayRoutes(next, 'shared', 'is_demo', ['demo_blue', 'demo_green']).length, 1, 'without the app, it is one');
  });

  it('changing the share replaces the rule; promoting removes it and flips the routing line in one text', () => {
    const ten = withCanary(OWN, 'web', undefined, 'demo', 'demo_green', SOURCE, 10);
    const fifty = withCanary(ten, 'web', undefined, 'demo', 'demo_green', SOURCE, 50);
    assert.deepEqual(diff(OWN, fifty), ['    use_backend demo_green if { src,crc32(1),mod(100) lt 50 } # bluegreen canary demo']);
    const promoted = withRouting(withoutCanary(fifty, 'web', undefined, 'demo'), 'web', undefined, 'demo_green');
    assert.deepEqual(diff(OWN, promoted), ['    default_backend demo_green', '-     default_backend demo_blue']);
  });

  it('keeps CRLF line endings, and refuses a share outside 1–99', () => {
    const crlf = OWN.replace(/\n/g, '\r\n');
    const next = withCanary(crlf, 'web', undefined, 'demo', 'demo_green', parseCanaryKey('header:X-User'), 5);
    assert.ok(next.split('\n').every((l, i, all) => i === all.length - 1 || l.endsWith('\r')));
    assert.equal(findCanary(next, 'web', undefined, 'demo')?.percent, 5);
    assert.equal(withoutCanary(next, 'web', undefined, 'demo'), crlf);
    for (const bad of [0, 100, 12.5, -3]) assert.throws(() => withCanary(OWN, 'web', undefined, 'demo', 'demo_green', SOURCE, bad), /1 to 99 percent/);
  });

  it('a canary is refused where the frontend inherits its default_backend: the rule would be written into the shared defaults', () => {
    const inherited = ['defaults', '    mode http', '    default_backend demo_blue', '', 'frontend web', '    bind :80', '', 'backend demo_blue', '    server b 10.0.0.1:3001 check', ''].join('\n');
    assert.throws(() => withCanary(inherited, 'web', undefined, 'demo', 'demo_green', SOURCE, 10), /takes its default_backend from the defaults section \(line 3\)/);
  });

  it("another app's canary rule on a shared frontend is not this app's: ending this app's canary leaves the other's", () => {
    const both = withCanary(withCanary(SHARED, 'shared', 'is_shop', 'shop', 'shop_green', SOURCE, 30), 'shared', 'is_demo', 'demo', 'demo_green', SOURCE, 10);
    assert.deepEqual(findCanary(both, 'shared', 'is_demo', 'demo'), { line: 6, backend: 'demo_green', percent: 10, key: SOURCE });
    assert.deepEqual(findCanary(both, 'shared', 'is_shop', 'shop'), { line: 4, backend: 'shop_green', percent: 30, key: SOURCE });
    // Another app's rule, even under this app's ACL, is not this app's canary.
    assert.equal(findCanary(both, 'shared', 'is_demo', 'shop'), undefined);
    const ended = withoutCanary(both, 'shared', 'is_demo', 'demo');
    assert.equal(findCanary(ended, 'shared', 'is_demo', 'demo'), undefined);
    assert.deepEqual(findCanary(ended, 'shared', 'is_shop', 'shop'), { line: 4, backend: 'shop_green', percent: 30, key: SOURCE });
    assert.equal(withoutCanary(both, 'shared', 'is_demo', 'nobody'), both);
  });

  it("a rule is this tool's canary only as written: every near miss of the words, the bucket or the mark is someone else's rule", () => {
    const own = (rule: string) => OWN.replace('    default_backend demo_blue', `    ${rule}\n    default_backend demo_blue`);
    const shared = (rule: string) => SHARED.replace('  use_backend demo_blue if is_demo', `  ${rule}\n  use_backend demo_blue if is_demo`);
    const src = (bucket: string, mark = '# bluegreen canary demo') => own(`use_backend demo_green if ${bucket} ${mark}`);
    assert.deepEqual(findCanary(src('{ src,crc32(1),mod(100) lt 10 }'), 'web', undefined, 'demo'), { line: 2, backend: 'demo_green', percent: 10, key: SOURCE });
    assert.deepEqual(findCanary(src('{ src,crc32(1),mod(100) lt 10 }', '#   bluegreen  canary   demo  '), 'web', undefined, 'demo')?.percent, 10, 'spaces in the mark');
    const notOurs = [
      src('{ src,crc32(1),mod(100) lt 10 }', '# bluegreen canary'),
      src('{ src,crc32(1),mod(100) lt 10 }', '# bluegreen canary demo too'),
      src('{ src,crc32(1),mod(100) lt 10 }', '# greenblue canary demo'),
      src('{ src,crc32(1),mod(100) lt 10 }', '# bluegreen kanary demo'),
      src('{ src,crc32(1),mod(100) lt 10 }', ''),
      own('use-backend demo_green if { src,crc32(1),mod(100) lt 10 } # bluegreen canary demo'),
      own('use_backend "" if { src,crc32(1),mod(100) lt 10 } # bluegreen canary demo'),
      own('use_backend demo_green unless { src,crc32(1),mod(100) lt 10 } # bluegreen canary demo'),
      src('{ src,crc32(1),mod(100) lt 10 } }'),
      src('( src,crc32(1),mod(100) lt 10 }'),
      src('{ src,crc32(1),mod(100) gt 10 }'),
      src('{ src,crc32(1),mod(100) lt x10 }'),
      src('{ src,crc32(1),mod(100) lt 10x }'),
      src('{ src,crc32(1),mod(100) lt 10 )'),
      src('{ xsrc,crc32(1),mod(100) lt 10 }'),
      src('{ src,crc32(1),mod(100)x lt 10 }'),
      src('{ src,crc32(2),mod(100) lt 10 }'),
      // A cookie's bucket without the check that the cookie is there.
      src('{ req.cook(sid),crc32(1),mod(100) lt 10 }'),
    ];
    for (const text of notOurs) assert.equal(findCanary(text, 'web', undefined, 'demo'), undefined, text.split('\n')[2]);
    const cookie = (present: string) => shared(`use_backend demo_green if is_demo ${present} { req.cook(sid),crc32(1),mod(100) lt 25 } # bluegreen canary demo`);
    assert.equal(findCanary(cookie('{ req.cook(sid) -m found }'), 'shared', 'is_demo', 'demo')?.percent, 25);
    assert.equal(findCanary(shared('use_backend demo_green if is_demo ( src,crc32(1),mod(100) lt 10 } # bluegreen canary demo'), 'shared', 'is_demo', 'demo'), undefined, 'a bucket not opened by {');
    for (const present of ['[ req.cook(sid) -m found }', '{ req.cook(sid) -i found }', '{ req.cook(sid) -m str }', '{ req.cook(sid) -m found ]', '{ req.cook(other) -m found }']) {
      assert.equal(findCanary(cookie(present), 'shared', 'is_demo', 'demo'), undefined, present);
    }
  });

  it('a header canary is written with req.hdr and read back as a header key', () => {
    const key = parseCanaryKey('header:X-User');
    const next = withCanary(OWN, 'web', undefined, 'demo', 'demo_green', key, 5);
    assert.equal(next.split('\n')[2], '    use_backend demo_green if { req.hdr(X-User) -m found } { req.hdr(X-User),crc32(1),mod(100) lt 5 } # bluegreen canary demo');
    assert.deepEqual(findCanary(next, 'web', undefined, 'demo')?.key, { by: 'header', name: 'X-User' });
    assert.deepEqual(findCanary(withCanary(OWN, 'web', undefined, 'demo', 'demo_green', parseCanaryKey('cookie:sid'), 5), 'web', undefined, 'demo')?.key, { by: 'cookie', name: 'sid' });
  });

  it('the key as bluegreen.yaml writes it: source, cookie:NAME or header:NAME, and nothing else is a cookie or a header', () => {
    assert.deepEqual(parseCanaryKey('cookie:sid'), { by: 'cookie', name: 'sid' });
    assert.deepEqual(parseCanaryKey('header:X-User'), { by: 'header', name: 'X-User' });
    for (const other of ['source', 'xcookie:sid', 'cookie:', 'cookie:sid\nx', 'cookies:sid']) assert.deepEqual(parseCanaryKey(other), { by: 'source' }, other);
    for (const text of ['source', 'cookie:sid', 'header:X-User']) assert.equal(canaryKeyText(parseCanaryKey(text)), text);
  });

  it("the canary is looked for in the app's frontend only, wherever it is in the file; a frontend not there has none", () => {
    const second = `frontend admin\n    bind :8081\n    default_backend admin_app\n\n${withCanary(OWN, 'web', undefined, 'demo', 'demo_green', SOURCE, 10)}`;
    assert.deepEqual(findCanary(second, 'web', undefined, 'demo'), { line: 6, backend: 'demo_green', percent: 10, key: SOURCE });
    assert.equal(findCanary(second, 'admin', undefined, 'demo'), undefined);
    assert.equal(findCanary(second, 'nope', undefined, 'demo'), undefined);
    assert.equal(withoutCanary(second, 'nope', undefined, 'demo'), second);
  });

  it('a share of 1 or 99 percent is a canary; 0 and 100 are not', () => {
    assert.equal(findCanary(withCanary(OWN, 'web', undefined, 'demo', 'demo_green', SOURCE, 1), 'web', undefined, 'demo')?.percent, 1);
    assert.equal(findCanary(withCanary(OWN, 'web', undefined, 'demo', 'demo_green', SOURCE, 99), 'web', undefined, 'demo')?.percent, 99);
  });

  it('only the exact rule this tool writes is its canary: a similar hand-written rule stays a stray route', () => {
    const hand = OWN.replace('    default_backend', '    use_backend demo_green if { src,crc32(1),mod(100) lt 10 }\n    default_backend');
    assert.equal(findCanary(hand, 'web', undefined, 'demo'), undefined);
    assert.equal(strayRoutes(hand, 'web', undefined, ['demo_blue', 'demo_green'], 'demo').length, 1);
  });
});
