import * as assert from 'node:assert/strict';
import { LogLine } from '../../src/core/status/logLines';
import { lineTime, SINCE_PATTERN, SinceFilter, sinceMoment } from '../../src/core/status/logSince';
import { redact } from '../../src/core/redact';

const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);
const line = (text: string, where = 'GREEN web-1', stream: LogLine['stream'] = 'out'): LogLine => ({ where, stream, text: redact(text) });
const texts = (lines: LogLine[]) => lines.map((l) => (l.stream === 'note' ? `note: ${l.text}` : l.text));

describe('since: the moment asked for', () => {
  it('reads durations back from now and times, with or without a zone', () => {
    assert.equal(sinceMoment('30s', NOW), NOW - 30_000);
    assert.equal(sinceMoment('15m', NOW), NOW - 15 * 60_000);
    assert.equal(sinceMoment('2h', NOW), NOW - 2 * 3_600_000);
    assert.equal(sinceMoment('1d', NOW), NOW - 86_400_000);
    assert.equal(sinceMoment('2026-12-05T07:00:00Z', NOW), Date.UTC(2026, 11, 5, 7));
    assert.equal(sinceMoment('2026-12-05T07:00+0100', NOW), Date.UTC(2026, 11, 5, 6));
    assert.equal(sinceMoment('2026-12-05 07:00:30-05:00', NOW), Date.UTC(2026, 11, 5, 12, 0, 30));
    // No zone: this machine's local time, as the person typing it means it.
    assert.equal(sinceMoment('2026-12-05', NOW), new Date(2026, 11, 5).getTime());
    assert.equal(sinceMoment('2026-12-05T07:00', NOW), new Date(2026, 11, 5, 7, 0).getTime());
  });

  it('refuses what it cannot read, saying what to write', () => {
    for (const bad of ['', 'yesterday', '0m', '15', '15 m', '-15m', '15min', '1w', '2026-13-45', '2026-02-30T25:00', '15m; rm -rf /', '$(id)', '2026-12-05T07']) {
      assert.throws(() => sinceMoment(bad, NOW), /since ".*" is not/, bad);
    }
    assert.throws(() => sinceMoment('yesterday', NOW), /a duration back from now \(30s, 15m, 2h, 1d\) or a time/);
  });

  it('the pattern the agent tool declares accepts exactly what sinceMoment reads', () => {
    const pattern = new RegExp(SINCE_PATTERN, 'u');
    for (const ok of ['30s', '999999d', '2026-12-05', '2026-12-05T07:00', '2026-12-05 07:00:00Z']) assert.ok(pattern.test(ok) && Number.isFinite(sinceMoment(ok, NOW)), ok);
    for (const bad of ['1000000d', '0s', 'now', '2026-12-05T07:00:00.123Z']) assert.ok(!pattern.test(bad), bad);
  });
});

describe("since: a log line's own time", () => {
  it('finds ISO times (pm2 --time, winston JSON), syslog prefixes and pino epochs', () => {
    assert.equal(lineTime('2026-12-05T11:59:00: listening', '+0000', NOW), Date.UTC(2026, 11, 5, 11, 59));
    assert.equal(lineTime('{"level":"info","timestamp":"2026-12-05T10:00:00.250Z","msg":"up"}', '+0000', NOW), Date.UTC(2026, 11, 5, 10, 0, 0, 250));
    assert.equal(lineTime('[2026-12-05 10:00:00,5] ERROR x', '+0000', NOW), Date.UTC(2026, 11, 5, 10, 0, 0, 500));
    assert.equal(lineTime('{"level":30,"time":1764936000000,"msg":"up"}', '+0000', NOW), 1764936000000);
    assert.equal(lineTime('Dec  5 11:00:01 lb haproxy[12]: 127.0.0.1 GET /', '+0000', NOW), Date.UTC(2026, 11, 5, 11, 0, 1));
    assert.equal(lineTime('listening on 3000', '+0000', NOW), undefined);
  });

  it("a date in the message is not the line's time (found by a review): only where loggers put it", () => {
    const recent = Date.UTC(2026, 11, 5, 11, 59);
    assert.equal(lineTime('{"message":"invoice due 2024-01-31 00:00","timestamp":"2026-12-05T11:59:00Z"}', '+0000', NOW), recent);
    assert.equal(lineTime(`{"time":${recent},"msg":"cert expired 2025-01-01 00:00"}`, '+0000', NOW), recent);
    assert.equal(lineTime('Error: booking for 2023-05-01 09:00 failed', '+0000', NOW), undefined);
    assert.equal(lineTime('INFO 2023-05-01 09:00 something', '+0000', NOW), undefined);
    assert.equal(lineTime('{"msg":"the \\"time\\":\\"2020-01-01T00:00:00Z\\" field"}', '+0000', NOW), undefined);
    // A 12-hour clock is not read as a 24-hour one.
    assert.equal(lineTime('2026-12-05 02:15:00 PM payment failed', '+0000', NOW), undefined);
    assert.equal(lineTime('2026-12-05 02:15 pm x', '+0000', NOW), undefined);
    assert.equal(lineTime('[2026-12-05T11:59:00.5+01:00] x', '+0000', NOW), Date.UTC(2026, 11, 5, 10, 59, 0, 500));
  });

  it('a time without a zone is the host\'s; a syslog line of December read in January is last year\'s', () => {
    assert.equal(lineTime('2026-12-05 11:00:00 up', '+0100', NOW), Date.UTC(2026, 11, 5, 10));
    assert.equal(lineTime('2026-12-05T11:00:00-02:00 up', '+0100', NOW), Date.UTC(2026, 11, 5, 13));
    assert.equal(lineTime('Dec 31 23:00:00 lb haproxy: x', '+0000', Date.UTC(2027, 0, 1, 1)), Date.UTC(2026, 11, 31, 23));
    assert.equal(lineTime('Mon 31 23:00:00 x', '+0000', NOW), undefined);
  });
});

describe('since: the filter', () => {
  const from = Date.UTC(2026, 11, 5, 11, 0);

  it('keeps timed lines from then on, and untimed lines (a stack trace) with the timed line before them', () => {
    const f = new SinceFilter(from, NOW);
    const out = [
      '2026-12-05T10:59:59Z old error',
      '    at old (a.js:1)',
      '2026-12-05T11:00:00Z new error',
      '    at new (a.js:2)',
      '2026-12-05T10:30:00Z out of order, older',
      '    at older (a.js:3)',
    ].flatMap((t) => f.offer(line(t)));
    assert.deepEqual(texts(out), ['2026-12-05T11:00:00Z new error', '    at new (a.js:2)']);
    assert.deepEqual(f.flush(), []);
  });

  it('untimed lines before the first timed one go with it', () => {
    const kept = new SinceFilter(from, NOW);
    assert.deepEqual(texts(['head', '2026-12-05T11:30:00Z new'].flatMap((t) => kept.offer(line(t)))), ['head', '2026-12-05T11:30:00Z new']);
    const dropped = new SinceFilter(from, NOW);
    assert.deepEqual(['head', '2026-12-05T10:30:00Z old'].flatMap((t) => dropped.offer(line(t))), []);
    assert.deepEqual(dropped.flush(), []);
  });

  it('a stream that says no time is shown whole at the end, after a note that since cannot pick among its lines', () => {
    const f = new SinceFilter(from, NOW);
    assert.deepEqual(['a', 'b'].flatMap((t) => f.offer(line(t))), []);
    assert.deepEqual(f.offer(line('2026-12-05T11:30:00Z x', 'GREEN web-1', 'err')).length, 1);
    assert.deepEqual(texts(f.flush()), ['note: these out lines say no time, so since cannot pick among them: all 2 are shown', 'a', 'b']);
    assert.deepEqual(f.flush(), []);
  });

  it('each host and stream has its own state, and its own zone', () => {
    const f = new SinceFilter(from, NOW);
    f.zone('GREEN web-2', '+0200');
    // 12:30 at +0200 is 10:30 UTC: before `from`; the same words on web-1 (UTC) are after it.
    assert.deepEqual(texts(f.offer(line('2026-12-05 12:30:00 x', 'GREEN web-2'))), []);
    assert.deepEqual(texts(f.offer(line('2026-12-05 12:30:00 x', 'GREEN web-1'))), ['2026-12-05 12:30:00 x']);
    assert.deepEqual(texts(f.offer(line('trace', 'GREEN web-2'))), []);
    assert.deepEqual(texts(f.offer(line('trace', 'GREEN web-1'))), ['trace']);
    assert.deepEqual(texts(f.offer({ where: 'GREEN web-2', stream: 'note', text: redact('3 lines dropped') })), ['note: 3 lines dropped']);
  });
});
