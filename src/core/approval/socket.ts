import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, realpathSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, Server, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlueGreenError } from '../errors';
import { ConfirmAnswer, ConfirmPort, ConfirmRequest } from '../plan/confirm';

/**
 * How `bluegreen mcp` asks the Blue-Green extension in the same editor to put its question to
 * the person: one JSON line each way over a Unix socket in a folder only this user can enter,
 * named after the config file, so the server and the editor of one workspace find each other.
 * The extension answers with what the person chose in its modal dialog; nothing else answers.
 */
export function approvalSocketPath(configFile: string): string {
  let real = path.resolve(configFile);
  try {
    real = realpathSync(real);
  } catch {
    // not there (yet): the resolved path names it
  }
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  const base = process.env.XDG_RUNTIME_DIR || os.tmpdir();
  return path.join(base, `bluegreen-${user}`, `approve-${createHash('sha256').update(real).digest('hex').slice(0, 16)}.sock`);
}

/** The socket's folder, owner-only; refused when it is someone else's or not a plain folder. */
function ownFolder(socketPath: string): void {
  const dir = path.dirname(socketPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
  if (!st.isDirectory() || !mine) throw new BlueGreenError('refused', `${dir} is not a folder of this user's; not listening for approvals there`);
  chmodSync(dir, 0o700);
}

const MAX_LINE = 64 * 1024;

function readLine(socket: Socket, onLine: (line: string) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    buffered += text;
    const end = buffered.indexOf('\n');
    if (end >= 0) {
      socket.removeAllListeners('data');
      onLine(buffered.slice(0, end));
    } else if (buffered.length > MAX_LINE) socket.destroy();
  });
}

function isRequest(v: unknown): v is ConfirmRequest {
  const r = v as Partial<ConfirmRequest> | null;
  return !!r && typeof r.title === 'string' && typeof r.detail === 'string' && typeof r.action === 'string' && (r.typeToConfirm === undefined || typeof r.typeToConfirm === 'string') && (r.askReason === undefined || typeof r.askReason === 'boolean');
}

/** The extension's side: every request is put to `person`, and the answer sent back. */
export function serveApprovals(socketPath: string, person: ConfirmPort, onError: (message: string) => void): Server {
  ownFolder(socketPath);
  try {
    unlinkSync(socketPath);
  } catch {
    // none left from an earlier window
  }
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    readLine(socket, (line) => {
      let request: unknown;
      try {
        request = JSON.parse(line);
      } catch {
        request = undefined;
      }
      if (!isRequest(request)) {
        socket.end(`${JSON.stringify({ ok: false })}\n`);
        return;
      }
      person.confirm(request).then(
        (answer) => socket.end(`${JSON.stringify(answer)}\n`),
        (e: unknown) => {
          onError((e as Error).message);
          socket.end(`${JSON.stringify({ ok: false })}\n`);
        },
      );
    });
  });
  server.on('error', (e) => onError(e.message));
  server.listen(socketPath, () => chmodSync(socketPath, 0o600));
  return server;
}

/**
 * The MCP server's side: undefined when no extension listens (then another way of asking is
 * tried); otherwise the person's answer, however long they take.
 */
export function askThroughSocket(socketPath: string, request: ConfirmRequest, signal?: AbortSignal): Promise<ConfirmAnswer | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let connected = false;
    const onAbort = () => {
      socket.destroy();
      reject(new BlueGreenError('aborted', 'the request for approval was cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('error', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(connected ? { ok: false } : undefined);
    });
    readLine(socket, (line) => {
      signal?.removeEventListener('abort', onAbort);
      socket.end();
      try {
        const answer = JSON.parse(line) as { ok?: unknown; reason?: unknown; via?: unknown };
        resolve(answer.ok === true ? { ok: true, reason: typeof answer.reason === 'string' ? answer.reason : undefined, via: typeof answer.via === 'string' ? answer.via : 'editor' } : { ok: false });
      } catch {
        resolve({ ok: false });
      }
    });
    socket.on('close', () => resolve(connected ? { ok: false } : undefined));
  });
}
