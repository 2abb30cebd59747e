import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { isBlueGreenError } from '../../src/core/errors';
import { HostRef, succeeded } from '../../src/core/ssh/runner';
import { Ssh2Runner } from '../../src/core/ssh/ssh2Runner';
import { shQuote } from '../../src/core/shell';
import { assertInvariants, BLUE, labRunner, LB } from './helpers';
import { lab } from './setup';

describe('ssh2 runner against the lab (real sshd)', () => {
  let runner: Ssh2Runner;
  let stateAtStart: string;
  beforeEach(() => {
    runner = labRunner();
    stateAtStart = readFileSync(lab().stateFile, 'utf8');
  });
  afterEach(async () => {
    runner.dispose();
    await assertInvariants('blue', stateAtStart);
  });

  it('reports exit codes, stdout and stderr', async () => {
    const r = await runner.run(BLUE, 'echo out; echo err >&2; exit 3');
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.equal(succeeded(r), false);
    assert.equal(succeeded(await runner.run(BLUE, 'true')), true);
  });

  it('runs probes in one long-lived shell: same results, exit codes and stderr, no state leaking between them', async () => {
    const first = await runner.run(BLUE, 'echo out; echo err >&2; cd /; exit 3', { lane: 'probe' });
    assert.deepEqual([first.code, first.stdout, first.stderr], [3, 'out\n', 'err\n']);
    const second = await runner.run(BLUE, 'pwd; printf "no newline"', { lane: 'probe' });
    assert.equal(second.code, 0);
    assert.notEqual(second.stdout.split('\n')[0], '/', 'a cd in one probe moved the next one');
    assert.ok(second.stdout.endsWith('no newline'));
    // Many probes at once share the shell one after another; each gets its own answer.
    const many = await Promise.all(Array.from({ length: 10 }, (_, i) => runner.run(BLUE, `echo ${i}; echo "$$"`, { lane: 'probe' })));
    assert.deepEqual(many.map((r) => r.stdout.split('\n')[0]), Array.from({ length: 10 }, (_, i) => String(i)));
    assert.equal(new Set(many.map((r) => r.stdout.split('\n')[1])).size, 1, 'the probes did not share one shell');
  });

  it('runs on the host it is asked for', async () => {
    const [blue, lb] = await Promise.all([runner.run(BLUE, 'echo $BLUEGREEN_LAB_HOST'), runner.run(LB, 'echo $BLUEGREEN_LAB_HOST')]);
    assert.equal(blue.stdout.trim(), 'blue');
    assert.equal(lb.stdout.trim(), 'lb');
  });

  it('delivers values with ; $() backticks quotes and newlines literally', async () => {
    const marker = path.join(os.tmpdir(), `bluegreen-pwned-${process.pid}`);
    const values = [`;touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `a'b"c`, `line1\nline2; touch ${marker}`, '-rf --no-preserve-root', '$HOME ${PATH} * ?'];
    for (const v of values) {
      const r = await runner.run(BLUE, `printf '%s' ${shQuote(v)}`);
      assert.equal(r.stdout, v);
    }
    assert.equal(existsSync(marker), false, 'a value was executed by the remote shell');
  });

  for (const mode of [{ label: '', options: {} }, { label: ' (short step in the long-lived shell)', options: { lane: 'step' as const } }]) {
    it(`streams lines in order as they are produced${mode.label}`, async () => {
      const seen: { line: string; at: number; stream: string }[] = [];
      const start = Date.now();
      await runner.run(BLUE, 'echo one; echo two >&2; sleep 0.4; echo three', {
        ...mode.options,
        onStdout: (line) => seen.push({ line, at: Date.now() - start, stream: 'out' }),
        onStderr: (line) => seen.push({ line, at: Date.now() - start, stream: 'err' }),
      });
      assert.deepEqual(seen.filter((s) => s.stream === 'out').map((s) => s.line), ['one', 'three']);
      assert.deepEqual(seen.filter((s) => s.stream === 'err').map((s) => s.line), ['two']);
      const one = seen.find((s) => s.line === 'one')!;
      const three = seen.find((s) => s.line === 'three')!;
      assert.ok(three.at - one.at >= 300, `"one" arrived ${three.at - one.at} ms before "three": it was not streamed`);
    });

    it(`row 8: kills the remote process group when a command times out${mode.label}`, async () => {
      const tag = `${Date.now() % 100000}.${process.pid % 1000}`;
      const started = Date.now();
      await assert.rejects(
        runner.run(BLUE, `sleep ${tag} & sleep ${tag}; echo never`, { timeoutMs: 800, ...mode.options }),
        (e: unknown) => isBlueGreenError(e, 'timeout') && /killed/.test((e as Error).message),
      );
      assert.ok(Date.now() - started < 10000);
      const left = await runner.run(BLUE, `pgrep -f 'sleep ${tag.replace('.', '[.]')}' || true`);
      assert.equal(left.stdout.trim(), '', `remote sleeps still running: ${left.stdout}`);
    });

    it(`kills the remote process group when cancelled${mode.label}`, async () => {
      const tag = `${(Date.now() + 7) % 100000}.${process.pid % 1000}`;
      const controller = new AbortController();
      const lines: string[] = [];
      const run = runner.run(BLUE, `echo started; sleep ${tag}`, {
        ...mode.options,
        signal: controller.signal,
        onStdout: (l) => {
          lines.push(l);
          controller.abort();
        },
      });
      await assert.rejects(run, (e: unknown) => isBlueGreenError(e, 'aborted'));
      assert.deepEqual(lines, ['started']);
      const left = await runner.run(BLUE, `pgrep -f 'sleep ${tag.replace('.', '[.]')}' || true`);
      assert.equal(left.stdout.trim(), '');
    });

    it(`hardening: a Cancel during an output flood stops the command and its process group (RELIABILITY row 27)${mode.label}`, async () => {
      const tag = `${(Date.now() + 11) % 100000}.${process.pid % 1000}`;
      const controller = new AbortController();
      let lines = 0;
      // Lines as fast as the link carries them, from a process that would run for hours.
      const run = runner.run(BLUE, `yes 'flood ${tag} ${'x'.repeat(200)}'`, {
        ...mode.options,
        signal: controller.signal,
        onStdout: () => {
          if (++lines === 2000) controller.abort();
        },
      });
      await assert.rejects(run, (e: unknown) => isBlueGreenError(e, 'aborted'));
      assert.ok(lines >= 2000);
      const left = await runner.run(BLUE, `pgrep -f 'flood ${tag.replace('.', '[.]')}' || true`);
      assert.equal(left.stdout.trim(), '', `the flood still runs: ${left.stdout}`);
    });

    it(`row 10: keeps the head of a huge stdout, says how much it dropped, and runs to its end${mode.label}`, async () => {
      const r = await runner.run(BLUE, "head -c 17000000 /dev/zero | tr '\\0' y; echo; echo done >&2", mode.options);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, 'done\n');
      assert.ok(r.stdout.length < 16.5 * 1024 * 1024, `stdout kept ${r.stdout.length} chars`);
      assert.match(r.stdout, /^y+\n\[… \d+ more bytes not kept\]$/);
    });

    it(`row 27: an endless line is cut as it arrives, \\r progress is lines, and the next line is whole${mode.label}`, async () => {
      const lines: string[] = [];
      await runner.run(BLUE, "head -c 200000 /dev/zero | tr '\\0' x; echo; printf '10%%\\r50%%\\r100%%\\n'; echo next", { ...mode.options, onStdout: (l) => lines.push(l) });
      assert.equal(lines.length, 5, lines.map((l) => l.slice(0, 20)).join(' | '));
      assert.ok(lines[0].endsWith(' […]') && lines[0].length < 20000);
      assert.deepEqual(lines.slice(1), ['10%', '50%', '100%', 'next']);
    });

    it(`row 10: caps huge stderr without hanging${mode.label}`, async () => {
      const r = await runner.run(BLUE, "head -c 3000000 /dev/zero | tr '\\0' x >&2; echo done", mode.options);
      assert.equal(r.stdout, 'done\n');
      assert.ok(r.stderr.length < 300 * 1024, `stderr kept ${r.stderr.length} chars`);
      assert.match(r.stderr, /earlier bytes not kept/);
    });
  }

  it('streams a short step\'s lines exactly as its own channel would, empty lines included', async () => {
    for (const script of ['echo one; echo; echo two', 'echo a; echo', 'printf x', 'printf "x\\ny"', ':', 'echo; echo']) {
      const lines = async (options: { lane?: 'step' }) => {
        const seen: string[] = [];
        const r = await runner.run(BLUE, script, { ...options, onStdout: (l) => seen.push(l) });
        return { seen, stdout: r.stdout };
      };
      assert.deepEqual(await lines({ lane: 'step' }), await lines({}), script);
    }
  });

  it('starts a fresh step shell after one was killed', async () => {
    await assert.rejects(runner.run(BLUE, 'sleep 30', { timeoutMs: 300, lane: 'step' }), (e: unknown) => isBlueGreenError(e, 'timeout'));
    const r = await runner.run(BLUE, 'echo again', { lane: 'step' });
    assert.deepEqual([r.code, r.stdout], [0, 'again\n']);
  });

  it('row 9: treats a remote killed by a signal as a failure', async () => {
    const r = await runner.run(BLUE, 'kill -9 $$');
    assert.equal(succeeded(r), false);
    assert.equal(r.code, null);
    assert.match(r.signal ?? '', /KILL$/);
  });

  it('reuses one TCP connection per host for many commands', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => runner.run(BLUE, 'echo "$SSH_CONNECTION"')));
    for (let i = 0; i < 4; i++) results.push(await runner.run(BLUE, 'echo "$SSH_CONNECTION"'));
    const connections = new Set(results.map((r) => r.stdout.trim()));
    assert.equal(connections.size, 1, `commands came over ${connections.size} connections: ${[...connections].join(' | ')}`);
    assert.deepEqual(runner.openHosts, ['lab-blue']);
  });

  it('applies a per-host command prefix (via)', async () => {
    const r = await runner.run({ ssh: 'lab-lb', via: 'env BLUEGREEN_VIA=wrapped' }, 'echo "$BLUEGREEN_VIA $BLUEGREEN_LAB_HOST"');
    assert.equal(r.stdout.trim(), 'wrapped lb');
  });

  it('asks a Unix socket through stream-local forwarding, and through socat where that is refused or a via prefix is set', async () => {
    const socket = lab().adminSocket;
    for (const host of [LB, { ssh: 'lab-green' }, { ssh: 'lab-lb', via: 'env BLUEGREEN_VIA=wrapped' }]) {
      const answer = await runner.askUnixSocket(host, socket, 'show info;show stat', { timeoutMs: 5000 });
      assert.match(answer, /^Uptime_sec: \d+$/m, `no show info from ${JSON.stringify(host)}`);
      assert.match(answer, /^# pxname,svname,/m, `no show stat from ${JSON.stringify(host)}`);
    }
    const missing = path.join(lab().dir, 'no-such.sock');
    for (const host of [LB, { ssh: 'lab-green' }]) {
      await assert.rejects(runner.askUnixSocket(host, missing, 'show info', { timeoutMs: 5000 }), (e: Error) => e.message.includes(missing) && /No such file/i.test(e.message));
    }
  });

  it('makes an HTTP GET from the host: through a tunnel, or in its shell (bash, else curl) where forwarding is forbidden', async () => {
    const health = (slot: 'blue' | 'green', port = lab().appPort) => `http://${lab().hosts[slot].address}:${port}/api/health`;
    // GREEN forbids TCP forwarding; with only sh and curl on its PATH, the shell has no bash.
    const shAndCurl = mkdtempSync(path.join(os.tmpdir(), 'bg-nobash-'));
    for (const tool of ['sh', 'curl']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(shAndCurl, tool));
    // Each way says "refused" in its own words (kept as the error's cause), which shows the way taken.
    const ways: [string, HostRef, 'blue' | 'green', RegExp][] = [
      ['tunnel', BLUE, 'blue', /Channel open failure: Connection refused/],
      ['bash', { ssh: 'lab-green' }, 'green', /^bash: \/dev\/tcp: connect failed$/],
      ['curl', { ssh: 'lab-green', via: `env PATH=${shAndCurl}` }, 'green', /Failed to connect/],
    ];
    const unhealthy = path.join(lab().hosts.green.home, 'unhealthy');
    try {
      for (const [way, host, slot, refused] of ways) {
        const ok = await runner.httpGet(host, health(slot), { timeoutMs: 5000 });
        assert.equal(ok.status, 200, way);
        assert.equal((JSON.parse(ok.body) as { environment: string }).environment, slot, way);
        await assert.rejects(runner.httpGet(host, health(slot, 1), { timeoutMs: 5000 }), (e: Error) => e.message.includes(`${lab().hosts[slot].address}`) && /refused/i.test(e.message) && refused.test(e.cause instanceof Error ? e.cause.message : e.message), way);
      }
      // A server that accepts and never answers: each way gives up at the timeout, saying so.
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/health`;
        for (const [way, host] of ways) {
          const started = Date.now();
          await assert.rejects(runner.httpGet(host, url, { timeoutMs: 1000 }), (e: Error) => /no answer within|timed out/i.test(e.message), way);
          assert.ok(Date.now() - started < 4000, `${way} took ${Date.now() - started} ms to give up`);
        }
      } finally {
        silent.close();
      }
      writeFileSync(unhealthy, '');
      for (const [way, host] of ways.slice(1)) {
        const down = await runner.httpGet(host, health('green'), { timeoutMs: 5000 });
        assert.equal(down.status, 503, way);
        assert.equal((JSON.parse(down.body) as { status: string }).status, 'unhealthy', way);
      }
    } finally {
      rmSync(unhealthy, { force: true });
      rmSync(shAndCurl, { recursive: true, force: true });
    }
  });

  it('reaches a host through ProxyJump, with the ssh config read through Include', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-jump-'));
    const { blue } = lab().hosts;
    const config = path.join(dir, 'config');
    const behind = (alias: string, jump: string) => [`Host ${alias}`, `  HostName ${blue.address}`, `  Port ${blue.sshPort}`, `  ProxyJump ${jump}`, `  IdentityFile ${lab().clientKey}`, `  UserKnownHostsFile ${lab().knownHosts}`, `  IdentityAgent none`, ''];
    writeFileSync(config, [...behind('via-lb', 'lab-lb'), ...behind('via-green', 'lab-green'), `Include ${lab().sshConfig}`, ''].join('\n'));
    const jumping = labRunner({ sshConfigFile: config });
    try {
      const r = await jumping.run({ ssh: 'via-lb' }, 'echo "$BLUEGREEN_LAB_HOST"');
      assert.equal(r.stdout, 'blue\n');
      // The lab's GREEN host refuses TCP forwarding: a jump through it must fail, which
      // shows the connection above really went through the jump host.
      await assert.rejects(jumping.run({ ssh: 'via-green' }, 'true'), (e: unknown) => isBlueGreenError(e, 'tunnel-refused') && /jump host lab-green/.test((e as Error).message));
    } finally {
      jumping.dispose();
    }
  });
});
