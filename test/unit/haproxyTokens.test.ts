import * as assert from 'node:assert/strict';
import { findCanary, parseCanaryKey, withCanary } from '../../src/core/haproxy/canary';
import { findRouting, withRouting } from '../../src/core/haproxy/config';
import { strayRoutes, strayRoutesIn } from '../../src/core/haproxy/strayRoutes';
import { tokenize, words } from '../../src/core/haproxy/tokens';
import { HAPROXY_CASES, SLOT_BACKENDS } from '../haproxyCases';

describe('haproxy.cfg words, by HAProxy\'s rules', () => {
  const table: [string, string[], string?][] = [
    ['    default_backend shop_blue', ['default_backend', 'shop_blue']],
    ['use_backend "shop_green" if { path_beg /beta }', ['use_backend', 'shop_green', 'if', '{', 'path_beg', '/beta', '}']],
    ["use_backend 'shop_green' if x", ['use_backend', 'shop_green', 'if', 'x']],
    ['use_backend shop_gr\\x65en', ['use_backend', 'shop_green']],
    ['"use_backend" shop_green', ['use_backend', 'shop_green']],
    [`shop_'blu'"e"`, ['shop_blue']],
    ['a\\ b c', ['a b', 'c']],
    ['a "b c" d', ['a', 'b c', 'd']],
    ['x "a#b" # real comment', ['x', 'a#b'], ' real comment'],
    ["x 'a#b'#c", ['x', 'a#b'], 'c'],
    ['x a\\#b', ['x', 'a#b']],
    ['x \\\\y', ['x', '\\y']],
    ['x \'\\x41\' "\\x41"', ['x', '\\x41', 'A']],
    ['x "\\$HOME" \\$HOME', ['x', '$HOME', '\\$HOME']],
    ['x \'$HOME\' $HOME', ['x', '$HOME', '$HOME']],
    ['x "" y', ['x', '', 'y']],
    ['x\ty\r', ['x', 'y']],
    ['x \\1', ['x', '\\1']],
    ['# only a comment', [], ' only a comment'],
    // Escapes outside single quotes: tab, line feed and carriage return as the characters, quotes as quotes.
    ['x a\\tb a\\nb a\\rb', ['x', 'a\tb', 'a\nb', 'a\rb']],
    ['x \\"a\\" \\\'b', ['x', '"a"', "'b"]],
    ['x "a\\tb"', ['x', 'a\tb']],
    // \x needs two hex digits; otherwise the backslash is kept as written.
    ['x \\x4 \\xZZ \\x4a', ['x', '\\x4', '\\xZZ', 'J']],
    ['x \\', ['x', '\\']],
    // A $ that does not start a variable name is a $.
    ['x "$1a" "${1}" "a$" "$.a b" "$_a9-b"', ['x', '$1a', '${1}', 'a$', '$.a b', '$_a9-b']],
    ['x "${UNCLOSED', ['x', '${UNCLOSED']],
    // C's white space separates words (vertical tab, form feed); a carriage return after the first word ends the line.
    ['a\vb\fc', ['a', 'b', 'c']],
    ['\r\t a b', ['a', 'b']],
    ['a\rb c', ['a']],
    ['a #\r', ['a'], ''],
  ];
  for (const [line, expected, comment] of table) {
    it(`${JSON.stringify(line)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(words(line), expected);
      assert.equal(tokenize(line).comment, comment);
    });
  }

  it('marks words with environment variables (only inside double quotes), keeping them as written', () => {
    const t = tokenize('use_backend "${BETA}" if x "$Y" \'${Z}\' $W "${A-def}x"').tokens;
    assert.deepEqual(t.map((x) => [x.text, x.env]), [['use_backend', false], ['${BETA}', true], ['if', false], ['x', false], ['$Y', true], ['${Z}', false], ['$W', false], ['${A-def}x', true]]);
  });

  it('marks only the words that hold a variable, and reads a variable to its end', () => {
    const t = tokenize('x "$1a" "a$" "$_a9-b" "${A}-${B" y').tokens;
    assert.deepEqual(t.map((w) => [w.text, w.env]), [['x', false], ['$1a', false], ['a$', false], ['$_a9-b', true], ['${A}-${B" y', true]]);
  });

  it('a $ at the end of a line, or a variable running to it, ends the word there', () => {
    assert.deepEqual(tokenize('x "a$').tokens.map((t) => [t.text, t.env, t.start, t.end]), [['x', false, 0, 1], ['a$', false, 2, 5]]);
    assert.deepEqual(tokenize('x "${').tokens.map((t) => [t.text, t.env, t.start, t.end]), [['x', false, 0, 1], ['${', false, 2, 5]]);
    assert.deepEqual(tokenize('x "${A').tokens.map((t) => [t.text, t.env, t.start, t.end]), [['x', false, 0, 1], ['${A', true, 2, 6]]);
    assert.deepEqual(tokenize('x "$HOME').tokens.map((t) => [t.text, t.env, t.start, t.end]), [['x', false, 0, 1], ['$HOME', true, 2, 8]]);
  });

  it('knows where each word starts and ends, quotes and escapes included', () => {
    const line = "  a 'b c'd\\ e \"${X}\" f";
    assert.deepEqual(tokenize(line).tokens.map((t) => line.slice(t.start, t.end)), ['a', "'b c'd\\ e", '"${X}"', 'f']);
    const comment = 'a b   # c';
    assert.deepEqual(tokenize(comment).tokens.map((t) => [t.start, t.end]), [[0, 1], [2, 3]]);
  });

  it('knows where each word was written, quotes included', () => {
    const line = '    use_backend  "shop_blue" if x';
    const [, backend] = tokenize(line).tokens;
    assert.equal(line.slice(backend.start, backend.end), '"shop_blue"');
  });
});

describe('haproxy.cfg read as HAProxy reads it (each case also run through haproxy -c in the lab)', () => {
  for (const c of HAPROXY_CASES) {
    it(c.name, () => {
      if ('refused' in c.expect) {
        assert.throws(() => findRouting(c.config, 'web', c.acl), c.expect.refused);
        assert.throws(() => withRouting(c.config, 'web', c.acl, 'shop_green'), c.expect.refused);
        return;
      }
      assert.equal(findRouting(c.config, 'web', c.acl).backend, c.expect.live);
      assert.deepEqual(strayRoutes(c.config, 'web', c.acl, SLOT_BACKENDS, 'shop').map((r) => r.line), c.expect.stray);
      const other = c.expect.live === 'shop_blue' ? 'shop_green' : 'shop_blue';
      const routing = findRouting(c.config, 'web', c.acl);
      if (routing.inheritedFrom !== undefined) return;
      const switched = withRouting(c.config, 'web', c.acl, other);
      assert.equal(findRouting(switched, 'web', c.acl).backend, other);
      const changed = c.config.split('\n').map((l, i) => (l === switched.split('\n')[i] ? -1 : i)).filter((i) => i >= 0);
      assert.deepEqual(changed, [routing.line], 'only the routing line changes');
    });
  }

  it('another file HAProxy loads (conf.d) that routes to a slot is a split, named by file, section and line', () => {
    const confd = 'frontend admin\n    bind 127.0.0.1:18085\n    use_backend shop_green if { path_beg /admin }   # ops\n    default_backend other\n';
    assert.deepEqual(strayRoutesIn('/etc/haproxy/conf.d/admin.cfg', confd, SLOT_BACKENDS), [{ line: 3, text: 'use_backend shop_green if { path_beg /admin }', section: 'admin', file: '/etc/haproxy/conf.d/admin.cfg' }]);
    assert.deepEqual(strayRoutesIn('x.cfg', 'frontend a\n    default_backend other\n', SLOT_BACKENDS), []);
  });

  it('a rule shown in the status is one bounded line, whatever the file holds', () => {
    const hostile = HAPROXY_CASES[0].config.replace('    default_backend shop_blue', `    default_backend shop_blue\n    use_backend shop_green if { hdr(x) -m str "\u001b[2J\u202e${'A'.repeat(2000)}" }`);
    const [rule] = strayRoutes(hostile, 'web', undefined, SLOT_BACKENDS);
    assert.ok(rule.text.length <= 160 && !rule.text.includes('\u001b') && !rule.text.includes('\u202e'), rule.text);
  });

  it("a canary rule is recognised however its words are quoted, and another app's is not this app's", () => {
    const base = HAPROXY_CASES[0].config;
    const written = withCanary(base, 'web', undefined, 'shop', 'shop_green', parseCanaryKey('cookie:sid'), 10);
    const canaryLine = written.split('\n').findIndex((l) => l.includes('bluegreen canary'));
    const quoted = written.split('\n').map((l, i) => (i === canaryLine ? l.replace('use_backend shop_green', '"use_backend" "shop_green"') : l)).join('\n');
    assert.deepEqual(findCanary(quoted, 'web', undefined, 'shop'), { line: canaryLine, backend: 'shop_green', percent: 10, key: parseCanaryKey('cookie:sid') });
    assert.equal(findCanary(quoted, 'web', undefined, 'blog'), undefined);
    assert.deepEqual(strayRoutes(quoted, 'web', undefined, SLOT_BACKENDS, 'shop'), []);
    assert.deepEqual(strayRoutes(quoted, 'web', undefined, SLOT_BACKENDS, 'blog').map((r) => r.line), [canaryLine + 1]);
    const tampered = written.replace('lt 10 }', 'lt 10 } || { path_beg /x }');
    assert.equal(findCanary(tampered, 'web', undefined, 'shop'), undefined, 'a rule that is more than the canary is not the canary');
  });
});
