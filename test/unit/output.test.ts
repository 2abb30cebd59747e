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
