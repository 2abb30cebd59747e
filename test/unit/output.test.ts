import * as assert from 'node:assert/strict';
import { CappedBuffer, LineSplitter } from '../../src/core/ssh/output';

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
