import * as assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApprovalEndpoint, approvalEndpoint, askThroughSocket, serveApprovals, windowSocketPath } from '../../src/core/approval/socket';
import { ApprovalBinding, APPROVAL_TEXT_LIMITS, ConfirmRequest, redactedRequest } from '../../src/core/plan/confirm';

const binding = (): ApprovalBinding => ({ id: `id-${Math.random()}`, app: 'demo', kind: 'release', from: 'blue', to: 'green', fromCommit: 'a'.repeat(40), toCommit: 'b'.repeat(40), configSha256: 'c'.repeat(64) });
const request = (detail = 'detail'): ConfirmRequest => ({ title: 'Switch traffic from BLUE to GREEN?', detail, action: 'Switch Traffic', binding: binding() });
const listening = (server: Server) => new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
/** The window's socket is in place (bound under another name, then renamed). */
async function inPlace(file: string): Promise<void> {
  for (let i = 0; i < 200 && !lstatSync(file, { throwIfNoEntry: false }); i++) await new Promise((r) => setTimeout(r, 5));
}
const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

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
    const stale = createServer();
    await new Promise<void>((resolve) => stale.listen(dead, () => resolve()));
    chmodSync(dead, 0o600);
    // Closing would remove the file: drop the handle without closing it, as a crash does.
    (stale as unknown as { _handle: { close(): void } | null })._handle?.close();
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

  it('names a named pipe on Windows', () => {
    const win = approvalEndpoint(path.join(runtime, 'bluegreen.yaml'), 'win32');
    assert.equal(win.dir, '\\\\.\\pipe\\');
    assert.match(windowSocketPath(win, '42'), /^\\\\\.\\pipe\\bluegreen-[^\\]+-approve-[0-9a-f]{16}-42$/);
  });
});
