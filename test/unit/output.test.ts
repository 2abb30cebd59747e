import * as assert from 'node:assert/strict';
import { CappedBuffer, LineSplitter, PID_MARK, PidAnnouncement } from '../../src/core/ssh/output';

describe('remote output handling', () => {
  it('splits lines across chunks without breaking multi-byte characters', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('héllo\r\nwörld\npartial');
    for (let i = 0; i < bytes.length; i++) s.push(bytes.subarray(i, i + 1));
    s.end();
    assert.deepEqual(lines, ['héllo', 'wörld', 'partial']);
  });

  it('keeps the tail of a flood and says how much it dropped', () => {
    const b = new CappedBuffer(10, 'tail');
    b.push(Buffer.from('0123456789'));
    b.push(Buffer.from('abcde'));
    assert.equal(b.text(), '[… 5 earlier bytes not kept]\n56789abcde');
    assert.equal(b.droppedBytes, 5);
  });

  it('keeps the head when asked', () => {
    const b = new CappedBuffer(4, 'head');
    b.push(Buffer.from('abc'));
    b.push(Buffer.from('def'));
    assert.equal(b.text(), 'abcd\n[… 2 more bytes not kept]');
  });
});

describe('PidAnnouncement', () => {
  it('finds the pid after whatever a login shell printed first, and passes on only what follows', () => {
    const a = new PidAnnouncement();
    assert.equal(a.push(Buffer.from('Welcome to prod-lb!\nlast login: never\n@@bluegreen-p')), undefined);
    assert.equal(a.pid, undefined);
    const rest = a.push(Buffer.from('id 4242\nfirst line of the script\n'));
    assert.equal(a.pid, '4242');
    assert.equal(rest?.toString(), 'first line of the script\n');
    assert.equal(a.push(Buffer.from('more'))?.toString(), 'more');
  });

  it('keeps memory bounded while no marker has come', () => {
    const a = new PidAnnouncement();
    for (let i = 0; i < 100; i++) assert.equal(a.push(Buffer.alloc(10_000, 'x')), undefined);
    assert.equal(a.push(Buffer.from(`${PID_MARK}7\nok`))?.toString(), 'ok');
    assert.equal(a.pid, '7');
  });
});

describe('line splitting (RELIABILITY row 27)', () => {
  const split = (...chunks: string[]) => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    for (const c of chunks) s.push(Buffer.from(c));
    s.end();
    return lines;
  };

  it('ends lines at \\n, \\r\\n (also split between chunks) and a lone \\r; keeps empty \\n lines', () => {
    assert.deepEqual(split('one\r\ntwo\n\nthree'), ['one', 'two', '', 'three']);
    assert.deepEqual(split('a\r', '\nb\n'), ['a', 'b']);
    assert.deepEqual(split('10%\r20%\r', '30%\n'), ['10%', '20%', '30%']);
    assert.deepEqual(split('\r\r\r\rdone\n'), ['done']);
  });

  it('hardening: cuts an endless line as it arrives and drops its rest, keeping memory bounded', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    for (let i = 0; i < 100; i++) s.push(Buffer.alloc(64 * 1024, 'x'));
    assert.equal(lines.length, 1, 'the cut part was not passed on as it arrived');
    assert.ok(lines[0].endsWith(' […]') && lines[0].length < 17 * 1024);
    s.push(Buffer.from('tail\nnext\n'));
    s.end();
    assert.deepEqual(lines.slice(1), ['next']);
  });
});
