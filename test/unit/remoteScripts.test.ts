import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { remote } from '../../src/core/remote/scripts';
import { requestText } from '../../src/core/ssh/httpOverStream';
import { runLocally } from './localRunner';

const run = runLocally;

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('remote scripts, run in a local shell', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bg-scripts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('switch.sh', () => {
    const cfg = () => path.join(dir, 'haproxy.cfg');
    beforeEach(() => writeFileSync(cfg(), 'frontend f\n  default_backend app_blue\n'));
    const next = 'frontend f\n  default_backend app_green\n';

    it('replaces the config after validating the candidate, keeps the previous one, and says it reloaded', async () => {
      const r = await run(remote.switchConfig(cfg(), sha256(readFileSync(cfg(), 'utf8')), base64(next), `grep -q app_green '${cfg()}.bluegreen-new'`, `touch '${dir}/reloaded'`, 'RELOADED'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'RELOADED\n');
      assert.equal(readFileSync(cfg(), 'utf8'), next);
      assert.match(readFileSync(`${cfg()}.bluegreen-previous`, 'utf8'), /app_blue/);
      assert.ok(existsSync(path.join(dir, 'reloaded')));
      assert.ok(!existsSync(`${cfg()}.bluegreen-new`));
    });

    it('soak finding: a switch whose session ended while it validated (the client already told "nothing was switched") does not replace the config behind its back', async () => {
      const before = readFileSync(cfg(), 'utf8');
      // The session's process is the shell's parent: the validator kills it, as a dropped connection ends sshd's.
      const session = spawn('sh', ['-c', 'sh -s'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      session.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = new Promise<void>((resolve) => session.stdout!.on('close', () => resolve()));
      session.stdin!.end(remote.switchConfig(cfg(), sha256(before), base64(next), 'kill -KILL "$PPID"; sleep 0.2', `touch '${dir}/reloaded'`, 'RELOADED') + '\n');
      await done;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(readFileSync(cfg(), 'utf8'), before, 'the config was replaced after its session ended');
      assert.ok(!existsSync(path.join(dir, 'reloaded')), 'HAProxy was reloaded after its session ended');
      assert.ok(!existsSync(`${cfg()}.bluegreen-new`), 'the candidate was left behind');
      assert.match(stderr, /the session that asked for this switch is gone; nothing was changed/);
    });

    it('changes nothing when the file changed since it was read (30) or the candidate is invalid (10)', async () => {
      const before = readFileSync(cfg(), 'utf8');
      assert.equal((await run(remote.switchConfig(cfg(), sha256('something else'), base64(next), 'true', 'true', 'R'))).code, 30);
      const invalid = await run(remote.switchConfig(cfg(), sha256(before), base64(next), 'false', `touch '${dir}/reloaded'`, 'R'));
      assert.equal(invalid.code, 10);
      assert.match(invalid.stderr, /candidate config is invalid/);
      assert.equal(readFileSync(cfg(), 'utf8'), before);
      assert.deepEqual(readdirSync(dir), ['haproxy.cfg'], 'something was left behind or reloaded');
    });

    it('puts the previous config back and reloads again when the reload fails (20)', async () => {
      const before = readFileSync(cfg(), 'utf8');
      // The first reload fails; the second (after the restore) records what it saw.
      const reload = `if [ -e '${dir}/failed' ]; then cp '${cfg()}' '${dir}/seen-at-second-reload'; else touch '${dir}/failed'; false; fi`;
      const r = await run(remote.switchConfig(cfg(), sha256(before), base64(next), 'true', reload, 'R'));
      assert.equal(r.code, 20);
      assert.equal(readFileSync(cfg(), 'utf8'), before);
      assert.equal(readFileSync(path.join(dir, 'seen-at-second-reload'), 'utf8'), before);
    });

    it('found by the topology test: a reload or validate command that says `exit` ends itself, not the script, so the previous config still goes back (20) or nothing changes (10)', async () => {
      const before = readFileSync(cfg(), 'utf8');
      const reloaded = await run(remote.switchConfig(cfg(), sha256(before), base64(next), 'true', 'systemctl-reload-that-fails 2>/dev/null || exit 1', 'R'));
      assert.equal(reloaded.code, 20, reloaded.stderr);
      assert.equal(readFileSync(cfg(), 'utf8'), before, 'the new config was left in place after the reload failed');
      const validated = await run(remote.switchConfig(cfg(), sha256(before), base64(next), 'exit 1', 'true', 'R'));
      assert.equal(validated.code, 10);
      assert.equal(readFileSync(cfg(), 'utf8'), before);
    });

    it('restore.sh puts the saved config back by rename and reloads', async () => {
      writeFileSync(`${cfg()}.bluegreen-previous`, 'old\n');
      const r = await run(remote.restore(cfg(), `touch '${dir}/reloaded'`));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(cfg(), 'utf8'), 'old\n');
      assert.ok(existsSync(path.join(dir, 'reloaded')));
    });
  });

  describe('write-state.sh', () => {
    it('writes the file whole, creating its folder, with no temp file left', async () => {
      const file = path.join(dir, 'lib', 'state.json');
      const r = await run(remote.writeState(file, base64('{"live":"green"}\n')));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(file, 'utf8'), '{"live":"green"}\n');
      assert.deepEqual(readdirSync(path.dirname(file)), ['state.json']);
    });

    it('hardening: appends the history entries moving out to STATE.history.jsonl before writing the state (RELIABILITY row 31)', async () => {
      const file = path.join(dir, 'state.json');
      writeFileSync(`${file}.history.jsonl`, '{"n":1}\n');
      const r = await run(remote.writeState(file, base64('{"history":[{"n":3}]}\n'), undefined, base64('{"n":2}\n')));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(`${file}.history.jsonl`, 'utf8'), '{"n":1}\n{"n":2}\n');
      assert.equal(readFileSync(file, 'utf8'), '{"history":[{"n":3}]}\n');
    });

    it('keeps the old file where it is told, and takes a value with quotes and $() literally', async () => {
      const file = path.join(dir, 'state.json');
      writeFileSync(file, 'corrupt{');
      const content = `{"reason":"it's $(touch ${dir}/pwned) \`id\`"}\n`;
      const r = await run(remote.writeState(file, base64(content), `${file}.kept`));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(`${file}.kept`, 'utf8'), 'corrupt{');
      assert.equal(readFileSync(file, 'utf8'), content);
      assert.ok(!existsSync(path.join(dir, 'pwned')));
    });
  });

  describe('hardening: nothing is written through a symlink beside the state file or the config (RELIABILITY row 29)', () => {
    it('write-state.sh refuses a state file that is a symlink or a folder, and replaces a symlink where the old file is kept', async () => {
      const target = path.join(dir, 'elsewhere');
      writeFileSync(target, 'precious\n');
      const link = path.join(dir, 'state.json');
      symlinkSync(target, link);
      const throughLink = await run(remote.writeState(link, base64('{}')));
      assert.equal(throughLink.code, 44);
      assert.match(throughLink.stderr, /symlink or not a plain file/);
      assert.equal(readFileSync(target, 'utf8'), 'precious\n');
      const folder = path.join(dir, 'folder.json');
      mkdirSync(folder);
      assert.equal((await run(remote.writeState(folder, base64('{}')))).code, 44);
      const state = path.join(dir, 'real.json');
      writeFileSync(state, 'old\n');
      symlinkSync(target, `${state}.kept`);
      assert.equal((await run(remote.writeState(state, base64('new\n'), `${state}.kept`))).code, 0);
      assert.equal(readFileSync(target, 'utf8'), 'precious\n');
      assert.equal(readFileSync(`${state}.kept`, 'utf8'), 'old\n');
    });

    it('lock.sh refuses a lock file that is a symlink', async () => {
      const target = path.join(dir, 'elsewhere');
      writeFileSync(target, 'precious\n');
      symlinkSync(target, path.join(dir, 'state.json.lock'));
      const r = await run(remote.lock(path.join(dir, 'state.json.lock'), '{"who":"x"}', 'HELD', 'BUSY'));
      assert.equal(r.code, 72);
      assert.equal(readFileSync(target, 'utf8'), 'precious\n');
    });

    it('switch.sh never writes through a symlink planted where the candidate or the previous config goes', async () => {
      const cfg = path.join(dir, 'haproxy.cfg');
      writeFileSync(cfg, 'frontend f\n  default_backend app_blue\n');
      const target = path.join(dir, 'elsewhere');
      writeFileSync(target, 'precious\n');
      symlinkSync(target, `${cfg}.bluegreen-new`);
      symlinkSync(target, `${cfg}.bluegreen-previous`);
      const next = 'frontend f\n  default_backend app_green\n';
      const r = await run(remote.switchConfig(cfg, sha256(readFileSync(cfg, 'utf8')), base64(next), 'true', 'true', 'R'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(cfg, 'utf8'), next);
      assert.equal(readFileSync(target, 'utf8'), 'precious\n');
    });
  });

  describe('lock.sh', () => {
    let holder: ChildProcess | undefined;
    afterEach(() => holder?.kill());

    it('holds the lock while its stdin is open; a second taker is told who holds it; then it is free', async () => {
      const lockFile = path.join(dir, 'state.json.lock');
      holder = spawn('sh', ['-s']);
      holder.stdin!.write(remote.lock(lockFile, '{"who":"ann@ops","operation":"release"}', 'HELD', 'BUSY') + '\n');
      await new Promise<void>((resolve) => holder!.stdout!.on('data', (d: Buffer) => d.toString().includes('HELD') && resolve()));
      const busy = await run(remote.lock(lockFile, '{"who":"bob@ci"}', 'HELD', 'BUSY'));
      assert.equal(busy.code, 75);
      assert.equal(busy.stdout, 'BUSY {"who":"ann@ops","operation":"release"}\n\n');
      // lock-holder.sh tells the same without taking the lock, by the holder's pid.
      assert.equal((await run(remote.lockHolder(lockFile))).stdout, 'held\n{"who":"ann@ops","operation":"release"}\n');
      holder.stdin!.end();
      await new Promise((r) => holder!.on('close', r));
      assert.equal((await run(remote.lockHolder(lockFile))).stdout, 'free\n{"who":"ann@ops","operation":"release"}\n');
      const free = await run(remote.lock(lockFile, '{"who":"bob@ci"}', 'HELD', 'BUSY'));
      assert.deepEqual([free.code, free.stdout], [0, 'HELD\n']);
    });

    it('a second taker racing the holder names the new holder, not the last one (found by the CLI\'s row 17 test)', async () => {
      const lockFile = path.join(dir, 'race.lock');
      // The last holder's line, its process gone.
      writeFileSync(lockFile, '{"who":"bob@ci","operation":"deploy"}\n999999999\n');
      // A holder between taking the lock and naming itself, as lock.sh is for a moment.
      holder = spawn('sh', ['-c', `exec 9>>"$1"; flock -n 9 || exit 1; echo TOOK; sleep 0.4; printf '%s\\n%s\\n' '{"who":"ann@ops","operation":"release"}' "$$" > "$1"; exec cat`, 'sh', lockFile]);
      await new Promise<void>((resolve) => holder!.stdout!.on('data', (d: Buffer) => d.toString().includes('TOOK') && resolve()));
      const busy = await run(remote.lock(lockFile, '{"who":"carol@desk"}', 'HELD', 'BUSY'));
      assert.deepEqual([busy.code, busy.stdout], [75, 'BUSY {"who":"ann@ops","operation":"release"}\n\n']);
    });

    it("makes staging's lock folder when asked to, and only then", async () => {
      const folder = path.join(dir, '.bluegreen-staging');
      const lockFile = path.join(folder, 'demo.lock');
      assert.notEqual((await run(remote.lock(lockFile, '{"who":"x"}', 'HELD', 'BUSY'))).code, 0);
      assert.equal(existsSync(folder), false);
      const r = await run(remote.lock(lockFile, '{"who":"x"}', 'HELD', 'BUSY', folder));
      assert.deepEqual([r.code, r.stdout], [0, 'HELD\n']);
      assert.equal(readFileSync(lockFile, 'utf8').split('\n')[0], '{"who":"x"}');
    });
  });

  describe('backup.sh and fetch.sh', () => {
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();

    it('backs up the checkout without node_modules and .git, keeping the newest ones', async () => {
      const app = path.join(dir, 'app');
      mkdirSync(path.join(app, 'node_modules'), { recursive: true });
      writeFileSync(path.join(app, 'server.js'), 'x');
      writeFileSync(path.join(app, 'node_modules', 'big'), 'x');
      const backups = path.join(dir, 'backups');
      mkdirSync(backups);
      for (const old of ['20200101T000000Z-a.tar.gz', '20200102T000000Z-b.tar.gz']) writeFileSync(path.join(backups, old), '');
      execFileSync('touch', ['-d', '2020-01-01', path.join(backups, '20200101T000000Z-a.tar.gz')]);
      execFileSync('touch', ['-d', '2020-01-02', path.join(backups, '20200102T000000Z-b.tar.gz')]);
      const r = await run(remote.backup(app, backups, 2));
      assert.equal(r.code, 0, r.stderr);
      const kept = readdirSync(backups);
      assert.equal(kept.length, 2, kept.join(' '));
      const fresh = kept.find((f) => f.endsWith('-unknown.tar.gz'))!;
      assert.ok(fresh, 'no new backup');
      assert.deepEqual(execFileSync('tar', ['-tzf', path.join(backups, fresh)], { encoding: 'utf8' }).split('\n').filter(Boolean).sort(), ['./', './server.js']);
      assert.match(r.stdout, /removed old backup .*20200101T000000Z-a/);
    });

    it('fetches and checks out the exact commit of a ref, printing the marker; an unknown ref exits 3', async () => {
      const origin = path.join(dir, 'origin');
      mkdirSync(origin);
      git(origin, 'init', '-q', '-b', 'main');
      writeFileSync(path.join(origin, 'a'), '1');
      git(origin, 'add', 'a');
      git(origin, 'commit', '-qm', 'one');
      const slot = path.join(dir, 'slot');
      git(dir, 'clone', '-q', origin, slot);
      writeFileSync(path.join(origin, 'a'), '2');
      git(origin, 'commit', '-qam', 'two');
      git(origin, 'tag', 'v2');
      const head = git(origin, 'rev-parse', 'HEAD');
      const r = await run(remote.fetch(slot, 'origin', 'v2', 'main', 'MARK'));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^MARK ${head}$`, 'm'));
      assert.equal(git(slot, 'rev-parse', 'HEAD'), head);
      assert.equal(git(slot, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
      const unknown = await run(remote.fetch(slot, 'origin', 'no-such-ref', 'main', 'MARK'));
      assert.equal(unknown.code, 3);
      assert.match(unknown.stderr, /no-such-ref is not a branch, tag or commit on origin/);
    });
  });

  describe('lb-facts.sh (bluegreen init)', () => {
    it('says whether this user can write the config, and the first folder of two a state file can be made in', async () => {
      const cfg = path.join(dir, 'haproxy.cfg');
      writeFileSync(cfg, '');
      const home = path.join(dir, 'home');
      mkdirSync(home);
      const env = { PATH: process.env.PATH ?? '', HOME: home };
      const writable = await run(remote.lbFacts(cfg), { env });
      assert.equal(writable.code, 0, writable.stderr);
      assert.match(writable.stdout, /^systemd (yes|no)\nconfig-writable yes\nstate-folder \//);
      const missing = await run(remote.lbFacts(path.join(dir, 'nowhere', 'haproxy.cfg')), { env });
      assert.match(missing.stdout, /\nconfig-writable no\n/);
      // /var/lib/bluegreen when /var/lib (or it) is writable, as for root; else under HOME, which exists.
      const folder = /state-folder (.*)\n/.exec(missing.stdout)![1];
      assert.ok(folder === '/var/lib/bluegreen' || folder === `${home}/.local/state/bluegreen`, folder);
    });
  });

  describe('kill-group.sh', () => {
    it('kills a whole process group, waiting for it to go', async () => {
      const group = spawn('sh', ['-c', 'sleep 30 & sleep 30'], { detached: true });
      await new Promise((r) => setTimeout(r, 100));
      const r = await new Promise<number | null>((resolve) => spawn('sh', ['-c', remote.killGroupText, 'sh', String(group.pid)]).on('close', resolve));
      assert.equal(r, 0);
      assert.equal(execFileSync('sh', ['-c', `ps -eo pgid=,stat= | awk '$1 == ${group.pid} && $2 !~ /^Z/' | wc -l`], { encoding: 'utf8' }).trim(), '0');
    });
  });

  describe('http-get.sh and unix-socket.sh', () => {
    let server: Server | undefined;
    afterEach(() => server?.close());

    const listen = (answer: string, where: number | string = 0): Promise<Server> =>
      new Promise((resolve) => {
        const s = createServer((c) => c.once('data', () => c.end(answer)));
        s.listen(where, () => resolve(s));
      });

    for (const shell of ['bash', 'sh']) {
      it(`makes a GET and prints the raw answer (${shell === 'bash' ? "bash's /dev/tcp" : 'curl'}); a refused connect exits 7`, async () => {
        server = await listen('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
        const port = String((server.address() as AddressInfo).port);
        const url = `http://127.0.0.1:${port}/api/health`;
        const r = await run(remote.httpGet(url, 'http:', '127.0.0.1', port, requestText(url, `127.0.0.1:${port}`), '2.0', `127.0.0.1:${port}`, 65536), { shell });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
        server.close();
        const refused = await run(remote.httpGet(url, 'http:', '127.0.0.1', port, requestText(url, 'x'), '2.0', 'x', 65536), { shell });
        assert.equal(refused.code, 7);
      });
    }

    it('sends a line to a Unix socket and prints the answer', async () => {
      const socket = path.join(dir, 'stats.sock');
      server = await listen('Uptime_sec: 5\n', socket);
      const r = await run(remote.unixSocket(socket, 'show info', 2));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'Uptime_sec: 5\n');
    });
  });

  describe('migrations-diff.sh', () => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@bluegreen.invalid', ...args], { cwd: dir }).toString().trim();
    const commitFiles = (files: Record<string, string>) => {
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        writeFileSync(path.join(dir, f), text);
      }
      git('add', '-A');
      git('commit', '-qm', 'c');
      return git('rev-parse', 'HEAD');
    };

    it('prints the diff of the files the globs match (** through folders, names with spaces), added or changed, and nothing else', async () => {
      git('init', '-q');
      const from = commitFiles({ 'migrations/1.sql': 'SELECT 1;\n', 'README.md': 'x\n' });
      const to = commitFiles({ 'migrations/1.sql': 'SELECT 1;\nSELECT 2;\n', 'migrations/2026/a b.sql': 'DROP TABLE t;\n', 'src/x.sql': 'DROP TABLE u;\n', 'README.md': 'y\n' });
      const r = await run(remote.migrationsDiff(dir, from, to, 'MISSING', ['migrations/**/*.sql']));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\+\+\+ b\/migrations\/1\.sql\n@@ -1,0 \+2 @@.*\n\+SELECT 2;/);
      assert.match(r.stdout, /\+\+\+ b\/migrations\/2026\/a b\.sql\t?\n@@ -0,0 \+1 @@\n\+DROP TABLE t;/);
      assert.doesNotMatch(r.stdout, /src\/x\.sql|README/);
    });

    it('prisma-datasource.sh prints the datasource blocks of the schema at a commit, not the rest; nothing when that commit has no schema', async () => {
      git('init', '-q');
      const schema = 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id Int @id\n}\n';
      const withSchema = commitFiles({ 'prisma/schema.prisma': schema });
      git('rm', '-q', 'prisma/schema.prisma');
      const without = commitFiles({ 'README.md': 'x\n' });
      const r = await run(remote.prismaDatasource(dir, withSchema, 'prisma/schema.prisma'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n');
      assert.deepEqual(await run(remote.prismaDatasource(dir, without, 'prisma/schema.prisma')), { code: 0, signal: undefined, stdout: '', stderr: '' });
    });

    it('names a commit the repository does not have instead of failing', async () => {
      git('init', '-q');
      const to = commitFiles({ 'migrations/1.sql': 'SELECT 1;\n' });
      const r = await run(remote.migrationsDiff(dir, 'a'.repeat(40), to, 'MISSING', ['migrations/**/*.sql']));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `MISSING ${'a'.repeat(40)}\n`);
    });
  });
});
