import * as assert from 'node:assert/strict';
import { HostLogReader, LineGate, logLineText, whereHaproxyLogs } from '../../src/core/status/logLines';
import { redact } from '../../src/core/redact';

const readAll = (raws: string[]) => {
  const reader = new HostLogReader('GREEN web-1');
  return raws.map((r) => reader.read(r));
};
const shown = (raws: string[]) => readAll(raws).flatMap((r) => (r.line ? [logLineText(r.line)] : []));

describe("a host's log script, line by line", () => {
  it("the script's own lines first (the host's zone, where it reads), then the log's lines by stream", () => {
    assert.deepEqual(readAll(['tz +0100', 'files /a/out.log /a/err.log', 'out up', 'err boom']), [
      { zone: '+0100' },
      { files: redact('/a/out.log /a/err.log') },
      { line: { where: 'GREEN web-1', stream: 'out', text: 'up' } },
      { line: { where: 'GREEN web-1', stream: 'err', text: 'boom' } },
    ]);
    assert.deepEqual(readAll(['tz +01:00; rm -rf', 'tz +0200']), [{}, {}], 'a zone that is not ±HHMM is not used, and is said once');
  });

  it('after the first log line every line is the log\'s: a lone CR in a line cannot make the log speak for the script (found by a review)', () => {
    const reads = readAll(['tz +0000', 'out GET /x', 'tz +9959', 'files AAAA', 'err oops', 'out line', 'progress 50%']);
    assert.deepEqual(
      reads.map((r) => [r.zone, r.files, r.line && logLineText(r.line)]),
      [
        ['+0000', undefined, undefined],
        [undefined, undefined, 'GREEN web-1 | GET /x'],
        [undefined, undefined, 'GREEN web-1 | tz +9959'],
        [undefined, undefined, 'GREEN web-1 | files AAAA'],
        [undefined, undefined, 'GREEN web-1 ! oops'],
        [undefined, undefined, 'GREEN web-1 | line'],
        [undefined, undefined, 'GREEN web-1 | progress 50%'],
      ],
    );
    assert.deepEqual(readAll(['something else', 'log-line log stdout']), [{}, {}], 'before the log starts, what is neither is nothing');
  });

  it('a private key printed over several lines is redacted whole, per stream (found by a review)', () => {
    const lines = shown(['out starting', 'out -----BEGIN OPENSSH PRIVATE KEY-----', 'err unrelated', 'out b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', 'out AAAAMwAAAAtzc2gtZWQyNTUxOQAAACD', 'out -----END OPENSSH PRIVATE KEY-----', 'out after']);
    assert.deepEqual(lines, ['GREEN web-1 | starting', 'GREEN web-1 | [private key redacted]', 'GREEN web-1 ! unrelated', 'GREEN web-1 | after']);
  });

  it('each line is one line, cut, with secrets redacted', () => {
    const [line] = shown(['out token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 \u001b[31mred\u001b[0m ' + 'x'.repeat(5000)]);
    assert.ok(!line.includes('ghp_'), line.slice(0, 80));
    assert.ok(!line.includes('\u001b'), 'an escape sequence reached the line');
    assert.ok(Array.from(line).length <= 'GREEN web-1 | '.length + 2000, String(line.length));
  });
});

describe('the flood bound of a follow', () => {
  it('lets perSecond lines a second through and says how many it dropped when the next second starts, or at the end', () => {
    const gate = new LineGate(2);
    const l = (text: string) => ({ where: 'w', stream: 'out' as const, text: redact(text) });
    const out = [...gate.offer(l('a'), 0), ...gate.offer(l('b'), 10), ...gate.offer(l('c'), 20), ...gate.offer(l('d'), 30), ...gate.offer(l('e'), 1000)].map((x) => x.text);
    assert.deepEqual(out, ['a', 'b', '… 2 lines dropped (more than 2 a second)', 'e']);
    assert.deepEqual(gate.flush('w'), []);
    gate.offer(l('f'), 1001);
    gate.offer(l('g'), 1002);
    assert.deepEqual(gate.flush('w').map((x) => x.text), ['… 1 line dropped (more than 2 a second)']);
    assert.equal(gate.droppedTotal, 3);
  });
});

describe('where HAProxy logs', () => {
  it('says where its log goes and how to make it readable here', () => {
    assert.match(whereHaproxyLogs([]), /^HAProxy logs nowhere: its config has no `log` target/);
    assert.match(whereHaproxyLogs(['  log stdout format raw local0']), /^HAProxy logs to its stdout \(whoever starts HAProxy keeps it/);
    assert.match(whereHaproxyLogs(['log 10.0.0.9:514 local0', 'log global']), /^HAProxy logs to the syslog server at 10\.0\.0\.9:514\. To read it here, put/);
    assert.match(whereHaproxyLogs(['log ring@buf local0']), /the ring buffer buf \(show events buf on the stats socket\)/);
  });
});
