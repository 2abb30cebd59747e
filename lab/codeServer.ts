// Runs code-server (a real VS Code from the npm registry) for the extension-host suite and
// the UI e2e run. See shared notes "REAL-VSCODE": this machine cannot download VS Code desktop.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { canConnect, waitFor } from './processes';

/** Works from out/lab/ (tsc) and from out/ (the esbuild bundle). */
export const PROJECT_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'esbuild.mjs')) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return dir;
}

/** floor: code-server 4.100.3 (VS Code 1.100, close to Windsurf and Cursor); current: 4.103.2 (VS Code 1.103, with the MCP server-definition provider). */
export type CodeServerFlavour = 'floor' | 'current';

export function codeServerFlavour(): CodeServerFlavour {
  const wanted = process.env.BLUEGREEN_CODE_SERVER ?? 'floor';
  if (wanted !== 'floor' && wanted !== 'current') throw new Error(`BLUEGREEN_CODE_SERVER=${wanted}: say floor or current`);
  return wanted;
}

/** The command that starts that code-server: for current, Node 22 and the script, since the `node` on PATH may be 20. */
export function installCodeServer(flavour: CodeServerFlavour = codeServerFlavour()): string[] {
  const out = execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts/install-code-server.sh'), flavour], { stdio: ['ignore', 'pipe', 'inherit'] });
  return out.toString().trim().split('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface CodeServer {
  port: number;
  url: string;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  work: string;
  folder: string;
  settings?: Record<string, unknown>;
  installVsix?: string;
  /** A fixed port (the demo); default: any free one. */
  port?: number;
  /** Extra environment for the server and so for its extension host. */
  env?: NodeJS.ProcessEnv;
  /** Default: $BLUEGREEN_CODE_SERVER, else floor. */
  flavour?: CodeServerFlavour;
}

export async function startCodeServer(o: CodeServerOptions): Promise<CodeServer> {
  const [bin, ...binArgs] = installCodeServer(o.flavour);
  const userData = path.join(o.work, 'user-data');
  const extensions = path.join(o.work, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'update.mode': 'none', 'workbench.tips.enabled': false, ...o.settings }, null, 2),
  );
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  if (o.installVsix) execFileSync(bin, [...binArgs, ...common, '--install-extension', o.installVsix], { stdio: 'inherit' });
  const port = o.port && !(await canConnect('127.0.0.1', o.port)) ? o.port : await freePort();
  const logFile = path.join(o.work, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawn(bin, [...binArgs, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', ...common, o.folder], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  };
  try {
    await waitFor(`code-server on port ${port} (log: ${logFile})`, () => canConnect('127.0.0.1', port), 60000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url: `http://127.0.0.1:${port}`, process: child, logFile, stop };
}

/** Chromium, and code-server stopped when Chromium cannot start: a failed run leaves nothing listening. */
export async function launchChromiumFor(server: CodeServer): Promise<Browser> {
  try {
    return await launchChromium();
  } catch (e) {
    await server.stop();
    throw e;
  }
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
