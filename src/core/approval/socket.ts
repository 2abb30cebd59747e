import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, Stats, unlinkSync } from 'node:fs';
import { createConnection, createServer, Server, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlueGreenError } from '../errors';
import { bindingHash, ConfirmAnswer, ConfirmPort, ConfirmRequest, fitForApproval, ShownRequest } from '../plan/confirm';

/**
 * How `bluegreen mcp` asks the Blue-Green extension in the same editor to put its question to
 * the person: one JSON line each way over a Unix socket (a named pipe on Windows) named after
 * the config file, one per editor window, in a folder only this user can enter. The extension
 * answers with what the person chose in its modal dialog, naming the request it answers.
 */
export interface ApprovalEndpoint {
  /** The folder the sockets are in (on Windows, the pipe namespace). */
  dir: string;
  /** Every window's socket for this config starts with this name. */
  prefix: string;
  windows: boolean;
}

export function approvalEndpoint(configFile: string, platform: NodeJS.Platform = process.platform): ApprovalEndpoint {
  let real = path.resolve(configFile);
  try {
    real = realpathSync(real);
  } catch {
    // not there (yet): the resolved path names it
  }
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 16);
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  if (platform === 'win32') return { dir: '\\\\.\\pipe\\', prefix: `bluegreen-${user}-approve-${hash}`, windows: true };
  const base = process.env.XDG_RUNTIME_DIR || os.tmpdir();
  return { dir: path.join(base, `bluegreen-${user}`), prefix: `approve-${hash}`, windows: false };
}

/** This window's socket: its own, so closing one window leaves the others listening. */
export function windowSocketPath(endpoint: ApprovalEndpoint, window: string = String(process.pid)): string {
  return endpoint.windows ? `${endpoint.dir}${endpoint.prefix}-${window}` : path.join(endpoint.dir, `${endpoint.prefix}-${window}.sock`);
}

const myUid = () => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/** Why a folder or socket may be someone else's, or undefined when it is this user's own, closed to others. */
export function notOwnOnly(st: Stats, what: string, kind: 'folder' | 'socket', uid = myUid()): string | undefined {
  if (st.isSymbolicLink()) return `${what} is a symbolic link`;
  if (kind === 'folder' ? !st.isDirectory() : !st.isSocket()) return `${what} is not a ${kind}`;
  if (uid !== undefined && st.uid !== uid) return `${what} belongs to user ${st.uid}, not to this user (${uid})`;
  if (st.mode & 0o077) return `${what} can be opened by other users (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

/** The socket's folder, owner-only; refused when it is someone else's or not a plain folder. */
function ownFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const mine = myUid() === undefined || st.uid === myUid();
  if (!st.isDirectory() || st.isSymbolicLink() || !mine) throw new BlueGreenError('refused', `${dir} is not a folder of this user's; not listening for approvals there`);
  chmodSync(dir, 0o700);
}

/** Requests are cut to APPROVAL_TEXT_LIMITS before they are sent; a longer line is not a request of ours. */
const MAX_LINE = 256 * 1024;

function readLine(socket: Socket, onLine: (line: string) => void, onTooLong: () => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    buffered += text;
    const end = buffered.indexOf('\n');
    if (end >= 0) {
      socket.removeAllListeners('data');
      onLine(buffered.slice(0, end));
    } else if (buffered.length > MAX_LINE) {
      socket.removeAllListeners('data');
      onTooLong();
    }
  });
}

function isRequest(v: unknown): v is ConfirmRequest {
  const r = v as Partial<ConfirmRequest> | null;
  const b = r?.binding;
  const binding = b === undefined || (typeof b === 'object' && b !== null && typeof b.id === 'string' && typeof b.app === 'string' && typeof b.kind === 'string');
  return !!r && typeof r.title === 'string' && typeof r.detail === 'string' && typeof r.action === 'string' && (r.typeToConfirm === undefined || typeof r.typeToConfirm === 'string') && (r.askReason === undefined || typeof r.askReason === 'boolean') && binding;
}

/** What the extension sends back: the answer, and which request it answers. */
interface WireAnswer {
  ok: boolean;
  reason?: string;
  via?: string;
  /** The request's binding id and hash, so the asker can tell the answer is for its question. */
  id?: string;
  planHash?: string;
  /** Nobody was asked: why. */
  unasked?: string;
}

/** The extension's side: every request is put to `person`, and the answer sent back naming the request. */
export function serveApprovals(socketPath: string, person: ConfirmPort, onError: (message: string) => void): Server {
  if (!socketPath.startsWith('\\\\.\\pipe\\')) {
    ownFolder(path.dirname(socketPath));
    try {
      unlinkSync(socketPath);
    } catch {
      // none left from an earlier run of this window
    }
  }
  const send = (socket: Socket, answer: WireAnswer) => socket.end(`${JSON.stringify(answer)}\n`);
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    readLine(
      socket,
      (line) => {
        let request: unknown;
        try {
          request = JSON.parse(line);
        } catch {
          request = undefined;
        }
        if (!isRequest(request)) return send(socket, { ok: false, unasked: 'the request was not one Blue-Green sends' });
        const named = request.binding ? { id: request.binding.id, planHash: bindingHash(request.binding) } : {};
        person.confirm(fitForApproval(request)).then(
          (answer) => send(socket, { ...answer, ...named }),
          (e: unknown) => {
            onError((e as Error).message);
            send(socket, { ok: false, unasked: `the editor could not show it: ${(e as Error).message}`, ...named });
          },
        );
      },
      () => send(socket, { ok: false, unasked: `the request was longer than ${MAX_LINE / 1024} KiB, so it was not shown` }),
    );
  });
  server.on('error', (e) => onError(e.message));
  if (socketPath.startsWith('\\\\.\\pipe\\')) return server.listen(socketPath);
  // Bound under a hidden name, made owner-only, then renamed into place: no moment at which the
  // socket askers look for is open to others.
  const hidden = path.join(path.dirname(socketPath), `.binding-${process.pid}-${Math.random().toString(36).slice(2)}`);
  // The kernel removes the name it bound, the hidden one: this window's socket goes when it closes.
  server.on('close', () => unlinkQuietly(socketPath));
  server.listen(hidden, () => {
    try {
      chmodSync(hidden, 0o600);
      renameSync(hidden, socketPath);
    } catch (e) {
      onError((e as Error).message);
      server.close();
    }
  });
  return server;
}

/** The asker's outcome: the person's answer; nobody asked (why); or no editor listening (and why not, when one was refused). */
export type SocketOutcome = { kind: 'answered'; answer: ConfirmAnswer } | { kind: 'unasked'; why: string } | { kind: 'none'; refused?: string };

/**
 * The MCP server's side: each window's socket for this config, newest first, trusted only when
 * the folder and the socket are this user's own and closed to others (else no approval by
 * socket, and the reason is given); the first that answers is the editor asked. An answer
 * counts only when it names this request's id and binding hash.
 */
export async function askThroughSocket(endpoint: ApprovalEndpoint, request: ConfirmRequest, o: { signal?: AbortSignal; uid?: number } = {}): Promise<SocketOutcome> {
  const uid = o.uid ?? myUid();
  let names: string[];
  try {
    names = readdirSync(endpoint.dir).filter((n) => n.startsWith(`${endpoint.prefix}-`));
  } catch {
    return { kind: 'none' };
  }
  if (!endpoint.windows) {
    const folderProblem = notOwnOnly(lstatSync(endpoint.dir), endpoint.dir, 'folder', uid);
    if (folderProblem) return { kind: 'none', refused: `not asking through ${endpoint.dir}: ${folderProblem}` };
  }
  const candidates: { file: string; mtime: number }[] = [];
  let refused: string | undefined;
  for (const name of names) {
    const file = endpoint.windows ? `${endpoint.dir}${name}` : path.join(endpoint.dir, name);
    if (endpoint.windows) {
      candidates.push({ file, mtime: 0 });
      continue;
    }
    const st = lstatSync(file, { throwIfNoEntry: false });
    const problem = st ? notOwnOnly(st, file, 'socket', uid) : 'gone';
    if (problem) refused ??= `not asking through ${file}: ${problem}`;
    else candidates.push({ file, mtime: st!.mtimeMs });
  }
  candidates.sort((a, b) => b.mtime - a.mtime);
  const sent = fitForApproval(request);
  for (const { file } of candidates) {
    const outcome = await askOne(file, sent, o.signal);
    if (outcome === 'not-listening') {
      // A window that closed without removing its socket: ours (checked above), so removed.
      if (!endpoint.windows) unlinkQuietly(file);
      continue;
    }
    return outcome;
  }
  return { kind: 'none', refused };
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}

function askOne(file: string, request: ShownRequest, signal?: AbortSignal): Promise<SocketOutcome | 'not-listening'> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(file);
    let connected = false;
    let settled = false;
    const settle = (outcome: SocketOutcome | 'not-listening') => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => {
      socket.destroy();
      settled = true;
      reject(new BlueGreenError('aborted', 'the request for approval was cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('error', () => settle(connected ? { kind: 'unasked', why: 'the editor closed the connection before answering' } : 'not-listening'));
    socket.on('close', () => settle(connected ? { kind: 'unasked', why: 'the editor closed the connection before answering' } : 'not-listening'));
    readLine(
      socket,
      (line) => {
        socket.end();
        settle(judgeAnswer(line, request));
      },
      () => {
        socket.destroy();
        settle({ kind: 'unasked', why: 'the editor sent an answer too long to be one' });
      },
    );
  });
}

/** An answer counts only for the request it names; anything else is nobody's answer. */
function judgeAnswer(line: string, request: ConfirmRequest): SocketOutcome {
  let answer: WireAnswer;
  try {
    answer = JSON.parse(line) as WireAnswer;
  } catch {
    return { kind: 'unasked', why: 'the editor sent something that is not an answer' };
  }
  const b = request.binding;
  if (b && (answer.id !== b.id || answer.planHash !== bindingHash(b))) return { kind: 'unasked', why: 'the answer was for another request, so it does not count' };
  if (typeof answer.unasked === 'string') return { kind: 'unasked', why: answer.unasked };
  if (answer.ok !== true) return { kind: 'answered', answer: { ok: false } };
  return { kind: 'answered', answer: { ok: true, reason: typeof answer.reason === 'string' ? answer.reason : undefined, via: typeof answer.via === 'string' ? answer.via : 'editor' } };
}
