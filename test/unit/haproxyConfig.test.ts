import * as assert from 'node:assert/strict';
import { backendExists, findRouting, hasIdleCloseOnResponse, withRouting } from '../../src/core/haproxy/config';

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

  it('finds backends', () => {
    assert.ok(backendExists(SHARED, 'theoshift_green'));
    assert.ok(!backendExists(SHARED, 'jw_attendant_green'));
  });
});
