// #35 (first slice): the app's own log and HAProxy's, read over SSH.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import { LogLine } from '../../src/core/status/logLines';
import { readLogs } from '../../src/core/workflows/logs';
import { labConfig, labRunner } from './helpers';
import { lab } from './setup';

/** The lab app prints `line` to its stdout (or stderr): GET /say. */
function say(line: string, stream: 'out' | 'err' = 'out'): Promise<void> {
  const url = `http://${lab().hosts.green.address}:${lab().appPort}/say?line=${encodeURIComponent(line)}${stream === 'err' ? '&stream=err' : ''}`;
  return new Promise((resolve, reject) => http.get(url, { agent: false }, (res) => res.resume().on('end', () => resolve())).on('error', reject));
}

/** tail processes still reading GREEN's pm2 log files. */
function tailsOnGreen(): string[] {
  const out = execFileSync('sh', ['-c', "ps -eo args | grep '^tail .*-F' | grep -F \"$1\" || true", 'sh', lab().hosts.green.home]).toString();
  return out.split('\n').filter(Boolean);
}

describe("logs: the app's own log and HAProxy's (#35)", function () {
  this.timeout(60_000);

  it('follows GREEN: a line the app prints after the command started arrives, a secret in it redacted, its errors marked; Cancel leaves no tail on the host', async () => {
    const runner = labRunner();
    const controller = new AbortController();
    const seen: LogLine[] = [];
    try {
      const following = readLogs(runner, labConfig().apps[0], { target: 'green', lines: 5, follow: true, signal: controller.signal, onLine: (l) => seen.push(l) });
      // The remote tails are started once the files are named.
      for (let i = 0; i < 100 && !tailsOnGreen().length; i++) await new Promise((r) => setTimeout(r, 100));
      const marker = `after-start-${Date.now()}`;
      await say(`${marker} password=hunter2-lab`);
      await say(`${marker} failed`, 'err');
      for (let i = 0; i < 100 && seen.filter((l) => l.text.includes(marker)).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      const mine = seen.filter((l) => l.text.includes(marker));
      assert.deepEqual(mine.map((l) => [l.where, l.stream]).sort(), [['GREEN lab-green', 'err'], ['GREEN lab-green', 'out']].sort(), JSON.stringify(seen));
      assert.ok(!JSON.stringify(seen).includes('hunter2-lab'), 'the secret was shown');
      controller.abort();
      const r = await following;
      assert.ok(r.sources.some((s) => s.includes('demo-green-out.log')), r.sources.join('\n'));
      for (let i = 0; i < 50 && tailsOnGreen().length; i++) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(tailsOnGreen(), [], 'a tail is left on the host after Cancel');
    } finally {
      controller.abort();
      runner.dispose();
    }
  });

  it('a flood is bounded: over the limit a second, lines are counted and said as dropped', async () => {
    const runner = labRunner();
    try {
      for (let i = 0; i < 30; i++) await say(`flood ${i}`);
      const r = await readLogs(runner, labConfig().apps[0], { target: 'green', lines: 30, follow: false, perSecond: 10 });
      assert.equal(r.lines.filter((l) => l.stream !== 'note').length, 10);
      assert.ok(r.dropped >= 20, String(r.dropped));
      assert.match(r.lines.at(-1)!.text, /^… \d+ lines dropped \(more than 10 a second\)$/);
    } finally {
      runner.dispose();
    }
  });

  it("the load balancer: HAProxy's log, or the sentence that says where it logs and how to read it", async () => {
    const runner = labRunner();
    try {
      const r = await readLogs(runner, labConfig().apps[0], { target: 'lb', lines: 10, follow: false });
      // The lab's HAProxy has no log line and no syslog file or journal.
      assert.match(r.note ?? '', /^load balancer lab-lb: HAProxy logs nowhere: its config has no `log` target\. To read its log here, put `log \/dev\/log local0` under global/);
    } finally {
      runner.dispose();
    }
  });
});
