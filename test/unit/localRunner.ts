import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommandRunner, RunResult } from '../../src/core/ssh/runner';

/**
 * Runs probe scripts in a local `sh`, as the remote shell would, with `git`, `cat` and `stat`
 * wrapped to record each time they start, and a `pm2` that knows no process (the real one
 * would start a daemon). The stats socket answers `showInfo`.
 */
export class LocalRunner implements CommandRunner {
  readonly scripts: string[] = [];
  private readonly shims = mkdtempSync(path.join(os.tmpdir(), 'bg-shims-'));
  private readonly log = path.join(this.shims, 'started');

  constructor(private readonly showInfo = 'Uptime_sec: 100') {
    for (const tool of ['git', 'cat', 'stat']) {
      const real = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      writeFileSync(path.join(this.shims, tool), `#!/bin/sh\necho ${tool} >> '${this.log}'\nexec '${real}' "$@"\n`);
      chmodSync(path.join(this.shims, tool), 0o755);
    }
    writeFileSync(path.join(this.shims, 'pm2'), '#!/bin/sh\necho "[]"\n');
    chmodSync(path.join(this.shims, 'pm2'), 0o755);
  }

  async run(_host: unknown, script: string): Promise<RunResult> {
    this.scripts.push(script);
    return runLocally(script, { env: { PATH: `${this.shims}:${process.env.PATH ?? ''}`, PM2_HOME: this.shims } });
  }

  /** The commands started since the last call. */
  started(): string[] {
    if (!existsSync(this.log)) return [];
    const names = readFileSync(this.log, 'utf8').split('\n').filter(Boolean);
    rmSync(this.log);
    return names;
  }

  async askUnixSocket(): Promise<string> {
    return `${this.showInfo}\n\n# pxname,svname,status,check_status,scur\ndemo_blue,blue,UP,L7OK,0\n`;
  }

  warm(): void {}

  async whereIs(host: { ssh: string }): Promise<string> {
    return host.ssh;
  }

  async httpGet(): Promise<never> {
    throw new Error('not used');
  }

  dispose(): void {
    rmSync(this.shims, { recursive: true, force: true });
  }
}

/** Runs a script as the remote shell would (`sh -s`, the script on stdin), on this machine. */
export function runLocally(script: string, o: { shell?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(o.shell ?? 'sh', ['-s'], { env: { ...process.env, ...o.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal: signal ?? undefined, stdout, stderr }));
    child.stdin.end(script);
  });
}
