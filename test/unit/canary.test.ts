import * as assert from 'node:assert/strict';
import { findCanary, parseCanaryKey, withCanary, withoutCanary } from '../../src/core/haproxy/canary';
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

  it('only the exact rule this tool writes is its canary: a similar hand-written rule stays a stray route', () => {
    const hand = OWN.replace('    default_backend', '    use_backend demo_green if { src,crc32(1),mod(100) lt 10 }\n    default_backend');
    assert.equal(findCanary(hand, 'web', undefined, 'demo'), undefined);
    assert.equal(strayRoutes(hand, 'web', undefined, ['demo_blue', 'demo_green'], 'demo').length, 1);
  });
});
