// #35 (first slice): the app's own log and HAProxy's, read over SSH.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
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

  it('a flood is bounded while following: over the limit a second, lines are counted and said as dropped; read once, every line asked for comes', async () => {
    const runner = labRunner();
    const controller = new AbortController();
    const seen: LogLine[] = [];
    try {
      const following = readLogs(runner, labConfig().apps[0], { target: 'green', lines: 1, follow: true, perSecond: 10, signal: controller.signal, onLine: (l) => seen.push(l) });
      for (let i = 0; i < 100 && !tailsOnGreen().length; i++) await new Promise((r) => setTimeout(r, 100));
      const marker = `flood-${Date.now()}`;
      await Promise.all(Array.from({ length: 30 }, (_, i) => say(`${marker} ${i}`)));
      for (let i = 0; i < 50 && !seen.some((l) => l.text.includes(marker)); i++) await new Promise((r) => setTimeout(r, 100));
      // The rest of that second's lines reach the host's tail; the drop is said at the end.
      await new Promise((r) => setTimeout(r, 1000));
      controller.abort();
      const r = await following;
      const mine = seen.filter((l) => l.stream !== 'note' && l.text.includes(marker));
      assert.ok(mine.length <= 10, `${mine.length} lines shown in a second over a bound of 10`);
      assert.ok(r.dropped >= 30 - mine.length - 1, `${r.dropped} dropped`);
      assert.match(seen.find((l) => l.stream === 'note')!.text, /^… \d+ lines dropped \(more than 10 a second\)$/);
      // Read once, the lines asked for are all shown: a crash's error lines are never dropped for its output's.
      const once = await readLogs(runner, labConfig().apps[0], { target: 'green', lines: 30, follow: false, perSecond: 10 });
      assert.equal(once.lines.filter((l) => l.text.includes(marker)).length, 30);
      assert.equal(once.dropped, 0);
    } finally {
      controller.abort();
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

  it("an app that logs elsewhere: bluegreen.yaml's logs command per slot, its out and err, the last N lines, told to follow; Cancel ends it on the host", async () => {
    const runner = labRunner();
    const app = labConfig().apps[0];
    const marker = `custom-${Date.now()}`;
    try {
      app.logs = { green: `printf '%s\\n' one two three; echo ${marker} lines={lines} slot={slot} follow="\${BLUEGREEN_FOLLOW:-no}" in "$(pwd)"; echo bad >&2` };
      const once = await readLogs(runner, app, { target: 'green', lines: 2, follow: false });
      assert.deepEqual(
        once.lines.map((l) => [l.stream, l.text]),
        [
          ['out', 'three'],
          ['out', `${marker} lines=2 slot=green follow=no in ${app.slots.green.servers[0].dir}`],
          ['err', 'bad'],
        ],
      );
      assert.deepEqual(once.sources, ['GREEN lab-green: logs.green in bluegreen.yaml']);
      app.logs = { green: `echo "${marker} follow=$BLUEGREEN_FOLLOW"; exec sleep 4242` };
      const controller = new AbortController();
      const seen: LogLine[] = [];
      const following = readLogs(runner, app, { target: 'green', lines: 5, follow: true, signal: controller.signal, onLine: (l) => seen.push(l) });
      for (let i = 0; i < 100 && !seen.length; i++) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(seen.map((l) => l.text), [`${marker} follow=1`]);
      controller.abort();
      await following;
      const sleeping = () => execFileSync('sh', ['-c', "ps -eo args | grep -x 'sleep 4242' || true"]).toString().trim();
      for (let i = 0; i < 50 && sleeping(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(sleeping(), '', 'the command is left running on the host after Cancel');
    } finally {
      runner.dispose();
    }
  });

  it('get_logs through `bluegreen mcp`: read only, nobody asked, bounded and redacted lines', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
    // No commands allowed for this config: reading a log runs none of them, so it is not held back.
    env.XDG_CONFIG_HOME = path.join(lab().dir, 'no-commands-allowed');
    const client = new Client({ name: 'lab-logs-client', version: '1.0.0' }, { capabilities: {} });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [path.resolve(__dirname, '../../../dist/cli.js'), 'mcp', '--config', lab().configFile], env, stderr: 'pipe' }));
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.find((t) => t.name === 'get_logs')?.annotations?.readOnlyHint, true);
      const marker = `agent-reads-${Date.now()}`;
      for (let i = 0; i < 250; i++) await say(`${marker} ${i}${i === 249 ? ' token=ghp_abcdefghijklmnopqrstuvwxyz0123456789' : ''}`);
      const text = (r: unknown) => ((r as { content: { text: string }[] }).content ?? []).map((c) => c.text).join('\n');
      const result = await client.callTool({ name: 'get_logs', arguments: { slot: 'green', lines: 200, filter: marker } });
      assert.equal(result.isError, undefined, text(result));
      const mine = text(result).split('\n').filter((l) => l.startsWith('GREEN lab-green | ') && l.includes(marker));
      // The last 200 lines of the out file: the bound, the newest kept, the secret gone.
      assert.equal(mine.length, 200, text(result).slice(0, 2000));
      assert.match(mine[199], new RegExp(`${marker} 249 token=`));
      assert.ok(!text(result).includes('ghp_abcdefghijklmnopqrstuvwxyz0123456789'), 'the secret was shown');
      assert.match(text(result), /^Logs of GREEN: the last 200 lines of each server, holding "agent-reads-\d+"\.\nRead from GREEN lab-green: .*demo-green-out\.log/);
      const tooMany = await client.callTool({ name: 'get_logs', arguments: { slot: 'green', lines: 10000 } });
      assert.equal(tooMany.isError, true);
      assert.match(text(tooMany), /lines must be <= 200/);
      // The lab app's lines say no time: since cannot pick among them, and the answer says so.
      const since = await client.callTool({ name: 'get_logs', arguments: { slot: 'green', lines: 5, since: '15m' } });
      assert.match(text(since), /these out lines say no time, so since cannot pick among them: all 5 are shown/);
    } finally {
      await client.close();
    }
  });
});
