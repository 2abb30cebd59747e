import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, Server, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApprovalEndpoint, approvalEndpoint, askThroughSocket, notOwnOnly, serveApprovals, windowSocketPath } from '../../src/core/approval/socket';
import { ApprovalBinding, APPROVAL_TEXT_LIMITS, bindingHash, ConfirmRequest, redactedRequest } from '../../src/core/plan/confirm';

const binding = (): ApprovalBinding => ({ id: `id-${Math.random()}`, app: 'demo', kind: 'release', from: 'blue', to: 'green', fromCommit: 'a'.repeat(40), toCommit: 'b'.repeat(40), configSha256: 'c'.repeat(64) });
const request = (detail = 'detail'): ConfirmRequest => ({ title: 'Switch traffic from BLUE to GREEN?', detail, action: 'Switch Traffic', binding: binding() });
const listening = (server: Server) => new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
/** The window's socket is in place (bound under another name, then renamed). */
async function inPlace(file: string): Promise<void> {
  for (let i = 0; i < 200 && !lstatSync(file, { throwIfNoEntry: false }); i++) await new Promise((r) => setTimeout(r, 5));
}
const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
/** A socket file nobody listens on, as a window that crashed leaves it (closing a server in this process would remove the file). */
function deadSocket(file: string): void {
  spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(file)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  chmodSync(file, 0o600);
}

describe('approval socket: only this user\'s editor, only for this request', () => {
  let runtime: string;
  let saved: string | undefined;
  let endpoint: ApprovalEndpoint;
  const servers: Server[] = [];
  const serve = async (window: string, answer: (r: ConfirmRequest) => Promise<{ ok: boolean; via?: string }> = async () => ({ ok: true, via: 'editor dialog' })) => {
    const server = serveApprovals(windowSocketPath(endpoint, window), { confirm: answer }, () => undefined);
    servers.push(server);
    await inPlace(windowSocketPath(endpoint, window));
    return server;
  };

  beforeEach(() => {
    saved = process.env.XDG_RUNTIME_DIR;
    runtime = mkdtempSync(path.join(os.tmpdir(), 'bg-approval-'));
    process.env.XDG_RUNTIME_DIR = runtime;
    endpoint = approvalEndpoint(path.join(runtime, 'bluegreen.yaml'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).filter((s) => s.listening).map(closed));
    if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = saved;
    rmSync(runtime, { recursive: true, force: true });
  });

  it("takes the person's answer from this user's editor, naming the request it answers", async () => {
    await serve('w1');
    assert.deepEqual(await askThroughSocket(endpoint, request()), { kind: 'answered', answer: { ok: true, reason: undefined, via: 'editor dialog' } });
    await Promise.all(servers.splice(0).map(closed));
    await serve('w2', async () => ({ ok: false }));
    assert.deepEqual(await askThroughSocket(endpoint, request()), { kind: 'answered', answer: { ok: false } });
  });

  it('refuses an answer for another request: a yes counts only for the question asked', async () => {
    mkdirSync(endpoint.dir, { mode: 0o700, recursive: true });
    const file = windowSocketPath(endpoint, 'squat');
    const liar = createServer((s) => s.once('data', () => s.end(`${JSON.stringify({ ok: true, via: 'editor dialog', id: 'another', planHash: 'x' })}\n`)));
    servers.push(liar.listen(file));
    await listening(liar);
    chmodSync(file, 0o600);
    const outcome = await askThroughSocket(endpoint, request());
    assert.deepEqual(outcome, { kind: 'unasked', why: 'the answer was for another request, so it does not count' });
  });

  it("does not ask through a folder or socket another user could have made or can open, and says why", async () => {
    await serve('w1');
    const other = await askThroughSocket(endpoint, request(), { uid: (process.getuid?.() ?? 0) + 1 });
    assert.equal(other.kind, 'none');
    assert.match(other.kind === 'none' ? other.refused ?? '' : '', /belongs to user \d+, not to this user/);
    chmodSync(endpoint.dir, 0o755);
    const open = await askThroughSocket(endpoint, request());
    assert.match(open.kind === 'none' ? open.refused ?? '' : '', /can be opened by other users \(mode 755\)/);
    chmodSync(endpoint.dir, 0o700);
    chmodSync(windowSocketPath(endpoint, 'w1'), 0o666);
    const socket = await askThroughSocket(endpoint, request());
    assert.match(socket.kind === 'none' ? socket.refused ?? '' : '', /approve-[0-9a-f]+-w1\.sock can be opened by other users \(mode 666\)/);
  });

  it('does not follow a folder that is a symbolic link', async () => {
    const elsewhere = mkdtempSync(path.join(runtime, 'elsewhere-'));
    chmodSync(elsewhere, 0o700);
    symlinkSync(elsewhere, endpoint.dir);
    const outcome = await askThroughSocket(endpoint, request());
    assert.match(outcome.kind === 'none' ? outcome.refused ?? '' : '', /is a symbolic link/);
  });

  it("gives each window its own socket: closing one leaves the other asked; a dead window's socket is skipped and removed", async () => {
    const first = await serve('w1', async () => ({ ok: true, via: 'window 1' }));
    await serve('w2', async () => ({ ok: true, via: 'window 2' }));
    await closed(first);
    const outcome = await askThroughSocket(endpoint, request());
    assert.deepEqual(outcome.kind === 'answered' && outcome.answer, { ok: true, reason: undefined, via: 'window 2' });
    // A socket file nobody listens on (a window that crashed): skipped, and gone afterwards.
    const dead = windowSocketPath(endpoint, 'crashed');
    deadSocket(dead);
    assert.ok(lstatSync(dead).isSocket());
    assert.equal((await askThroughSocket(endpoint, request())).kind, 'answered');
    assert.equal(lstatSync(dead, { throwIfNoEntry: false }), undefined, "the dead window's socket was left");
  });

  it('shows a 1 MB text cut with "…", and says so, instead of dropping the request and calling it a no', async () => {
    const seen: ConfirmRequest[] = [];
    await serve('w1', async (r) => (seen.push(r), { ok: true }));
    const outcome = await askThroughSocket(endpoint, request(`v${'9'.repeat(1024 * 1024)}`));
    assert.equal(outcome.kind, 'answered');
    assert.ok(seen[0].detail.length < APPROVAL_TEXT_LIMITS.detail + 100);
    assert.match(seen[0].detail, /… \(\d+ more characters not shown\)$/);
  });

  it('says nobody answered when the editor closes without an answer, rather than "no"', async () => {
    mkdirSync(endpoint.dir, { mode: 0o700, recursive: true });
    const file = windowSocketPath(endpoint, 'mute');
    const mute = createServer((s) => s.once('data', () => s.end()));
    servers.push(mute.listen(file));
    await listening(mute);
    chmodSync(file, 0o600);
    assert.deepEqual(await askThroughSocket(endpoint, request()), { kind: 'unasked', why: 'the editor closed the connection before answering' });
  });

  it('shows no credential in a request, whichever medium shows it', async () => {
    const seen: ConfirmRequest[] = [];
    await serve('w1', async (r) => (seen.push(r), { ok: true }));
    await askThroughSocket(endpoint, { ...request('deploy.migrate: DATABASE_URL=postgres://app:hunter2@db/x npx prisma migrate deploy'), title: 'Run migrations with --password hunter2?' });
    assert.doesNotMatch(`${seen[0].title} ${seen[0].detail}`, /hunter2/);
    assert.equal(redactedRequest({ title: 't', detail: 'DB_PASS=hunter2', action: 'Go' }).detail, 'DB_PASS=***');
  });

  /** A raw client of a window's socket: sends `line` (a newline added unless told), returns what came back. */
  const rawAsk = (file: string, line: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = createConnection(file);
      let got = '';
      socket.setEncoding('utf8');
      socket.on('connect', () => socket.write(line));
      socket.on('data', (d: string) => (got += d));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
    });
  /** A stand-in editor that answers whatever is asked with `answer` (written as is). */
  const standIn = async (window: string, answer: (line: string) => string | undefined) => {
    mkdirSync(endpoint.dir, { mode: 0o700, recursive: true });
    const file = windowSocketPath(endpoint, window);
    const server = createServer((s) => {
      let got = '';
      s.on('data', (d) => {
        got += d;
        if (!got.includes('\n')) return;
        const sent = answer(got.slice(0, got.indexOf('\n')));
        if (sent === undefined) s.destroy();
        else s.end(sent);
      });
      s.on('error', () => undefined);
    });
    servers.push(server.listen(file));
    await listening(server);
    chmodSync(file, 0o600);
    return file;
  };

  it("the editor's side: answers a request with the person's answer, the request's id and its binding's hash", async () => {
    const seen: ConfirmRequest[] = [];
    await serve('w1', async (r) => (seen.push(r), { ok: true, via: 'editor dialog' }));
    const asked = request();
    const reply = JSON.parse(await rawAsk(windowSocketPath(endpoint, 'w1'), `${JSON.stringify(asked)}\n`));
    assert.deepEqual(reply, { ok: true, via: 'editor dialog', id: asked.binding!.id, planHash: bindingHash(asked.binding!) });
    assert.deepEqual(seen, [asked]);
    // A request that names no plan is answered without naming one.
    const plain = { title: 't', detail: 'd', action: 'Go' };
    assert.deepEqual(JSON.parse(await rawAsk(windowSocketPath(endpoint, 'w1'), `${JSON.stringify(plain)}\n`)), { ok: true, via: 'editor dialog' });
  });

  it("the editor's side: what is not a request Blue-Green sends is shown to nobody, and said so", async () => {
    let asked = 0;
    await serve('w1', async () => (asked++, { ok: true }));
    const file = windowSocketPath(endpoint, 'w1');
    const good = request();
    const notOurs = [
      'not json',
      'null',
      '[]',
      JSON.stringify({ ...good, title: 1 }),
      JSON.stringify({ ...good, detail: undefined }),
      JSON.stringify({ ...good, action: null }),
      JSON.stringify({ ...good, typeToConfirm: 5 }),
      JSON.stringify({ ...good, askReason: 'yes' }),
      JSON.stringify({ ...good, binding: null }),
      JSON.stringify({ ...good, binding: 'id' }),
      JSON.stringify({ ...good, binding: { ...good.binding, id: 1 } }),
      JSON.stringify({ ...good, binding: { ...good.binding, app: undefined } }),
      JSON.stringify({ ...good, binding: { ...good.binding, kind: false } }),
    ];
    for (const line of notOurs) assert.deepEqual(JSON.parse(await rawAsk(file, `${line}\n`)), { ok: false, unasked: 'the request was not one Blue-Green sends' }, line);
    assert.equal(asked, 0);
    // Optional fields of the right type are a request.
    assert.equal(JSON.parse(await rawAsk(file, `${JSON.stringify({ ...good, typeToConfirm: 'GREEN', askReason: true })}\n`)).ok, true);
    assert.equal(asked, 1);
  });

  it("the editor's side: a request longer than 256 KiB is not shown, and the asker is told why", async () => {
    let asked = 0;
    await serve('w1', async () => (asked++, { ok: true }));
    const reply = await rawAsk(windowSocketPath(endpoint, 'w1'), 'x'.repeat(256 * 1024 + 10));
    assert.deepEqual(JSON.parse(reply), { ok: false, unasked: 'the request was longer than 256 KiB, so it was not shown' });
    // Just under the limit, in pieces, is read to its newline (and is not a request).
    const under = await rawAsk(windowSocketPath(endpoint, 'w1'), `${'x'.repeat(256 * 1024 - 10)}\n`);
    assert.deepEqual(JSON.parse(under), { ok: false, unasked: 'the request was not one Blue-Green sends' });
    assert.equal(asked, 0);
  });

  it("the editor's side: a dialog that cannot be shown is nobody's answer, reported to the editor's log", async () => {
    const errors: string[] = [];
    const server = serveApprovals(windowSocketPath(endpoint, 'w1'), { confirm: async () => Promise.reject(new Error('no window')) }, (m) => errors.push(m));
    servers.push(server);
    await inPlace(windowSocketPath(endpoint, 'w1'));
    const asked = request();
    assert.deepEqual(await askThroughSocket(endpoint, asked), { kind: 'unasked', why: 'the editor could not show it: no window' });
    assert.deepEqual(errors, ['no window']);
  });

  it("the editor's side: listens only in a folder of this user's, closed to others, on a socket only this user can open", async () => {
    mkdirSync(endpoint.dir, { mode: 0o755, recursive: true });
    chmodSync(endpoint.dir, 0o755);
    await serve('w1');
    assert.equal(lstatSync(endpoint.dir).mode & 0o777, 0o700, 'the folder was made owner-only');
    const socket = lstatSync(windowSocketPath(endpoint, 'w1'));
    assert.ok(socket.isSocket());
    assert.equal(socket.mode & 0o077, 0, `mode ${(socket.mode & 0o777).toString(8)}`);
    // The socket of an earlier run of this window is replaced, not a reason to fail.
    await closed(servers.pop()!);
    writeFileSync(windowSocketPath(endpoint, 'w1'), 'left over');
    await serve('w1');
    assert.ok(lstatSync(windowSocketPath(endpoint, 'w1')).isSocket());
    // A folder that is a link to somewhere else is refused.
    const elsewhere = mkdtempSync(path.join(runtime, 'elsewhere-'));
    const linked = path.join(runtime, 'linked');
    symlinkSync(elsewhere, linked);
    assert.throws(() => serveApprovals(path.join(linked, 'approve-x-1.sock'), { confirm: async () => ({ ok: true }) }, () => undefined), (e: Error & { reason?: string }) => e.reason === 'refused' && /is not a folder of this user's; not listening for approvals there/.test(e.message));
  });

  it("the editor's side: closing the window removes its socket", async () => {
    const server = await serve('w1');
    await closed(server);
    assert.equal(lstatSync(windowSocketPath(endpoint, 'w1'), { throwIfNoEntry: false }), undefined);
  });

  it("the asker's side: an answer that is not JSON, or too long to be one, is nobody's answer", async () => {
    await standIn('w1', () => 'yes please\n');
    assert.deepEqual(await askThroughSocket(endpoint, request()), { kind: 'unasked', why: 'the editor sent something that is not an answer' });
    await Promise.all(servers.splice(0).map(closed));
    await standIn('w2', () => 'y'.repeat(256 * 1024 + 10));
    assert.deepEqual(await askThroughSocket(endpoint, request()), { kind: 'unasked', why: 'the editor sent an answer too long to be one' });
  });

  it("the asker's side: only ok: true is a yes; the editor's reason and medium are kept, of the right type only", async () => {
    const asked = request();
    const named = { id: asked.binding!.id, planHash: bindingHash(asked.binding!) };
    const answers: [unknown, unknown][] = [
      [{ ok: 'true', via: 'x' }, { kind: 'answered', answer: { ok: false } }],
      [{ ok: 1 }, { kind: 'answered', answer: { ok: false } }],
      [{ ok: true, reason: 'hotfix', via: 'terminal' }, { kind: 'answered', answer: { ok: true, reason: 'hotfix', via: 'terminal' } }],
      [{ ok: true, reason: 7, via: 8 }, { kind: 'answered', answer: { ok: true, reason: undefined, via: 'editor' } }],
      [{ ok: true, unasked: 'the editor was closing' }, { kind: 'unasked', why: 'the editor was closing' }],
    ];
    for (const [answer, outcome] of answers) {
      const file = await standIn('w1', () => `${JSON.stringify({ ...(answer as object), ...named })}\n`);
      assert.deepEqual(await askThroughSocket(endpoint, asked), outcome, JSON.stringify(answer));
      await Promise.all(servers.splice(0).map(closed));
      rmSync(file, { force: true });
    }
    // An answer with the request's id but another plan's hash is for another request.
    await standIn('w1', () => `${JSON.stringify({ ok: true, id: asked.binding!.id, planHash: 'f'.repeat(64) })}\n`);
    assert.deepEqual(await askThroughSocket(endpoint, asked), { kind: 'unasked', why: 'the answer was for another request, so it does not count' });
  });

  it("the asker's side: the newest window is asked first; a window closed without answering is not a no", async () => {
    const older = await standIn('old', () => `${JSON.stringify({ ok: true, via: 'old window' })}\n`);
    const newer = await standIn('new', () => `${JSON.stringify({ ok: true, via: 'new window' })}\n`);
    utimesSync(older, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    utimesSync(newer, new Date(), new Date());
    const plain = { title: 't', detail: 'd', action: 'Go' };
    assert.deepEqual(await askThroughSocket(endpoint, plain), { kind: 'answered', answer: { ok: true, reason: undefined, via: 'new window' } });
    utimesSync(older, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    assert.deepEqual(await askThroughSocket(endpoint, plain), { kind: 'answered', answer: { ok: true, reason: undefined, via: 'old window' } });
    await Promise.all(servers.splice(0).map(closed));
    await standIn('closing', () => undefined);
    assert.deepEqual(await askThroughSocket(endpoint, plain), { kind: 'unasked', why: 'the editor closed the connection before answering' });
  });

  it("the asker's side: no folder is no editor; a file there that is not a socket is refused and said so", async () => {
    assert.deepEqual(await askThroughSocket(endpoint, request()), { kind: 'none' });
    mkdirSync(endpoint.dir, { mode: 0o700, recursive: true });
    assert.deepEqual(await askThroughSocket(endpoint, request()), { kind: 'none', refused: undefined });
    writeFileSync(windowSocketPath(endpoint, 'file'), '');
    chmodSync(windowSocketPath(endpoint, 'file'), 0o600);
    const outcome = await askThroughSocket(endpoint, request());
    assert.match(outcome.kind === 'none' ? outcome.refused ?? '' : '', /^not asking through .*-file\.sock: .*-file\.sock is not a socket$/);
    // Only this config's sockets are asked: another config's in the same folder is not looked at.
    rmSync(windowSocketPath(endpoint, 'file'));
    writeFileSync(path.join(endpoint.dir, 'approve-0000000000000000-1.sock'), '');
    assert.deepEqual(await askThroughSocket(endpoint, request()), { kind: 'none', refused: undefined });
  });

  it("the asker's side: a folder that is a file, or this user's socket made a link, is refused", () => {
    const dir = mkdtempSync(path.join(runtime, 'own-'));
    const file = path.join(dir, 'f');
    writeFileSync(file, '');
    assert.equal(notOwnOnly(lstatSync(file), file, 'folder'), `${file} is not a folder`);
    const link = path.join(dir, 'l');
    symlinkSync(dir, link);
    assert.equal(notOwnOnly(lstatSync(link), link, 'folder'), `${link} is a symbolic link`);
    chmodSync(dir, 0o700);
    assert.equal(notOwnOnly(lstatSync(dir), dir, 'folder'), undefined);
    chmodSync(dir, 0o770);
    assert.equal(notOwnOnly(lstatSync(dir), dir, 'folder'), `${dir} can be opened by other users (mode 770)`);
    chmodSync(dir, 0o701);
    assert.equal(notOwnOnly(lstatSync(dir), dir, 'folder'), `${dir} can be opened by other users (mode 701)`);
    chmodSync(dir, 0o700);
    const uid = lstatSync(dir).uid;
    assert.equal(notOwnOnly(lstatSync(dir), dir, 'folder', uid + 1), `${dir} belongs to user ${uid}, not to this user (${uid + 1})`);
    assert.equal(notOwnOnly(lstatSync(dir), dir, 'folder', undefined), undefined, 'where there are no user ids, the owner is not compared');
  });

  it("the asker's side: a Cancel while the editor asks ends the wait, as a cancellation", async () => {
    mkdirSync(endpoint.dir, { mode: 0o700, recursive: true });
    const file = windowSocketPath(endpoint, 'slow');
    const held: Socket[] = [];
    const never = createServer((s) => held.push(s));
    servers.push(never.listen(file));
    await listening(never);
    chmodSync(file, 0o600);
    const abort = new AbortController();
    const asked = askThroughSocket(endpoint, request(), { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await assert.rejects(asked, (e: Error & { reason?: string }) => e.reason === 'aborted' && /the request for approval was cancelled/.test(e.message));
    for (const s of held) s.destroy();
  });

  it('the endpoint: one folder a user, one name a config file (its real path), one socket a window', () => {
    const a = approvalEndpoint(path.join(runtime, 'bluegreen.yaml'), 'linux');
    assert.equal(a.windows, false);
    assert.equal(a.dir, path.join(runtime, `bluegreen-${process.getuid!()}`));
    assert.match(a.prefix, /^approve-[0-9a-f]{16}$/);
    assert.notEqual(approvalEndpoint(path.join(runtime, 'other.yaml'), 'linux').prefix, a.prefix);
    // The same file by another path is the same endpoint.
    const real = path.join(runtime, 'real.yaml');
    writeFileSync(real, '');
    symlinkSync(real, path.join(runtime, 'alias.yaml'));
    assert.equal(approvalEndpoint(path.join(runtime, 'alias.yaml'), 'linux').prefix, approvalEndpoint(real, 'linux').prefix);
    assert.equal(windowSocketPath(a, '42'), path.join(a.dir, `${a.prefix}-42.sock`));
    assert.equal(windowSocketPath(a), path.join(a.dir, `${a.prefix}-${process.pid}.sock`));
    delete process.env.XDG_RUNTIME_DIR;
    assert.equal(approvalEndpoint(real, 'linux').dir, path.join(os.tmpdir(), `bluegreen-${process.getuid!()}`));
  });

  it("the editor's side: a request is its first line only; an empty line is not a request; a second line is not asked", async () => {
    let asked = 0;
    await serve('w1', async () => (asked++, await new Promise((r) => setTimeout(r, 100)), { ok: true, via: 'editor dialog' }));
    const file = windowSocketPath(endpoint, 'w1');
    assert.deepEqual(JSON.parse(await rawAsk(file, '\n')), { ok: false, unasked: 'the request was not one Blue-Green sends' });
    const asked1 = request();
    const reply = JSON.parse(await rawAsk(file, `${JSON.stringify(asked1)}\nmore text`));
    assert.equal(reply.ok, true);
    // A second request on the same connection, sent after the first was read, is not put to the person.
    const second = await new Promise<string>((resolve, reject) => {
      const socket = createConnection(file);
      let got = '';
      socket.setEncoding('utf8');
      socket.on('connect', () => {
        socket.write(`${JSON.stringify(request())}\n`);
        setTimeout(() => socket.write(`${JSON.stringify(request())}\n`), 30);
      });
      socket.on('data', (d: string) => (got += d));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
    });
    assert.equal(second.trim().split('\n').length, 1);
    assert.equal(asked, 2);
  });

  it("the editor's side: a dialog that cannot be shown is sent back as unasked, naming the request", async () => {
    const server = serveApprovals(windowSocketPath(endpoint, 'w1'), { confirm: async () => Promise.reject(new Error('no window')) }, () => undefined);
    servers.push(server);
    await inPlace(windowSocketPath(endpoint, 'w1'));
    const asked = request();
    assert.deepEqual(JSON.parse(await rawAsk(windowSocketPath(endpoint, 'w1'), `${JSON.stringify(asked)}\n`)), { ok: false, unasked: 'the editor could not show it: no window', id: asked.binding!.id, planHash: bindingHash(asked.binding!) });
  });

  it("the editor's side: an asker that hangs up before the answer does not stop the editor answering others", async () => {
    await serve('w1', async () => (await new Promise((r) => setTimeout(r, 50)), { ok: true, via: 'editor dialog' }));
    const file = windowSocketPath(endpoint, 'w1');
    await new Promise<void>((resolve) => {
      const socket = createConnection(file);
      socket.on('connect', () => {
        socket.write(`${JSON.stringify(request())}\n`);
        socket.destroy();
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal((await askThroughSocket(endpoint, request())).kind, 'answered');
  });

  it("the editor's side: a socket that cannot be bound is reported to the editor's log", async () => {
    const long = path.join(runtime, 'x'.repeat(90));
    const errors: string[] = [];
    const server = serveApprovals(path.join(long, 'approve-1.sock'), { confirm: async () => ({ ok: true }) }, (m) => errors.push(m));
    servers.push(server);
    for (let i = 0; i < 200 && !errors.length; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(errors.length, 1, 'the error was reported');
  });

  it("the asker's side: a dead window's socket, even the newest, is skipped and removed", async () => {
    await serve('w1', async () => ({ ok: true, via: 'window 1' }));
    const dead = windowSocketPath(endpoint, 'crashed');
    deadSocket(dead);
    assert.ok(lstatSync(dead).isSocket());
    utimesSync(dead, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    assert.deepEqual(await askThroughSocket(endpoint, request()), { kind: 'answered', answer: { ok: true, reason: undefined, via: 'window 1' } });
    assert.equal(lstatSync(dead, { throwIfNoEntry: false }), undefined);
  });

  it("the asker's side: an answer with the plan's hash but another request's id is for another request", async () => {
    const asked = request();
    await standIn('w1', () => `${JSON.stringify({ ok: true, id: 'another', planHash: bindingHash(asked.binding!) })}\n`);
    assert.deepEqual(await askThroughSocket(endpoint, asked), { kind: 'unasked', why: 'the answer was for another request, so it does not count' });
  });

  it("the asker's side, in the pipe namespace (Windows): every window's pipe is asked, a dead one left as it is", async () => {
    await serve('w1', async () => ({ ok: true, via: 'window 1' }));
    const pipes: ApprovalEndpoint = { dir: `${endpoint.dir}/`, prefix: endpoint.prefix, windows: true };
    // The pipe namespace has its own access rules: no file mode or owner to check.
    chmodSync(windowSocketPath(endpoint, 'w1'), 0o666);
    const dead = windowSocketPath(endpoint, 'crashed');
    deadSocket(dead);
    utimesSync(dead, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    assert.deepEqual(await askThroughSocket(pipes, request()), { kind: 'answered', answer: { ok: true, reason: undefined, via: 'window 1' } });
    assert.ok(lstatSync(dead, { throwIfNoEntry: false }), 'a pipe is not a file to remove');
  });

  it("the socket's folder and the folder asked through must be this user's own, whoever else could own them", async function () {
    if (process.getuid?.() !== 0) {
      // Without root nothing can be given away: the asking side is told it is another user instead.
      mkdirSync(endpoint.dir, { mode: 0o700, recursive: true });
      const me = process.getuid?.() ?? 0;
      const outcome = await askThroughSocket(endpoint, request(), { uid: me + 4242 });
      assert.match(outcome.kind === 'none' ? outcome.refused ?? '' : '', new RegExp(`belongs to user ${me}, not to this user \\(${me + 4242}\\)`));
      return;
    }
    const other = (process.getuid!() + 4242) % 65534;
    mkdirSync(endpoint.dir, { mode: 0o700, recursive: true });
    chownSync(endpoint.dir, other, other);
    assert.throws(() => serveApprovals(windowSocketPath(endpoint, 'w1'), { confirm: async () => ({ ok: true }) }, () => undefined), (e: Error & { reason?: string }) => e.reason === 'refused' && /is not a folder of this user's/.test(e.message));
    const outcome = await askThroughSocket(endpoint, request());
    assert.match(outcome.kind === 'none' ? outcome.refused ?? '' : '', new RegExp(`belongs to user ${other}, not to this user \\(${process.getuid!()}\\)`));
    chownSync(endpoint.dir, process.getuid!(), process.getgid!());
    await serve('w1');
    assert.equal((await askThroughSocket(endpoint, request())).kind, 'answered');
  });

  it('names a named pipe on Windows', () => {
    const win = approvalEndpoint(path.join(runtime, 'bluegreen.yaml'), 'win32');
    assert.equal(win.dir, '\\\\.\\pipe\\');
    assert.match(windowSocketPath(win, '42'), /^\\\\\.\\pipe\\bluegreen-[^\\]+-approve-[0-9a-f]{16}-42$/);
  });
});
