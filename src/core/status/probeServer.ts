import { healthTarget, serverHost } from '../config/hostRefs';
import { AppConfig, ServerConfig } from '../config/types';
import { errorMessage } from '../errors';
import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { remote } from '../remote/scripts';
import { SectionedScript } from '../remote/sections';
import { shQuote } from '../shell';
import { CommandRunner } from '../ssh/runner';
import { parseGitHead } from './checkout';
import { parseHealthBody, parsePm2List } from './parse';
import { KnownStart, parsePidFileLine, pm2Script } from './pm2PidFile';
import { ServerSnapshot } from './snapshot';
import { Remembered, unchangedFilesOf, unlessUnchanged } from './unchanged';

function knownStart(held: Remembered | undefined): KnownStart | undefined {
  const ticks = held?.sections.get('start')?.output;
  return held && ticks ? { process: held.fingerprint, ticks } : undefined;
}

/** One round trip to a slot's server: git, package.json (both skipped when the checkout is unchanged) and pm2. */
export async function probeServer(runner: CommandRunner, s: ServerConfig, signal?: AbortSignal): Promise<Partial<ServerSnapshot>> {
  const dir = shQuote(s.dir);
  const memo = unchangedFilesOf(runner);
  const memoKey = `${s.ssh}\0${s.via ?? ''}\0${s.dir}`;
  const pm2Key = `${memoKey}\0pm2`;
  const held = memo.recall(memoKey);
  const script = new SectionedScript()
    .add('checkout', remote.checkoutFingerprint(s.dir))
    .add('git', unlessUnchanged(held?.fingerprint, `cd -- ${dir} && git log -1 --no-color --format=%H%n%D`))
    .add('pkg', unlessUnchanged(held?.fingerprint, `cat -- ${dir}/package.json`))
    .add('pm2', pm2Script(s.pm2, knownStart(memo.recall(pm2Key))));
  try {
    const r = await runner.run(serverHost(s), script.script, { signal, timeoutMs: 20000, lane: 'probe' });
    const parsed = script.parse(r.stdout);
    const sections = memo.settle(memoKey, held, parsed.get('checkout')?.output.trim() ?? '', parsed, ['git', 'pkg']);
    if (!sections.has('git')) throw new Error(`unexpected output (exit ${r.code}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
    const out: Partial<ServerSnapshot> = { reachable: true };
    const git = sections.get('git')!;
    if (git.code === 0) Object.assign(out, parseGitHead(git.output));
    const pkg = sections.get('pkg');
    if (pkg?.code === 0) {
      try {
        const { version } = JSON.parse(pkg.output) as { version?: unknown };
        if (typeof version === 'string' && version) out.version = fromHost(version, HOST_TEXT_LIMITS.word);
      } catch {
        // a broken package.json leaves the version unknown: a health body's claim does not stand in for it
      }
    }
    const pm2 = sections.get('pm2');
    const pidFile = pm2?.code === 0 ? parsePidFileLine(pm2.output) : undefined;
    if (pidFile?.start) memo.keep(pm2Key, pidFile.start.process, new Map([['start', { output: pidFile.start.ticks, code: 0 }]]));
    if (pm2?.code === 0) out.pm2 = pidFile?.pm2 ?? parsePm2List(pm2.output, s.pm2, Date.now()) ?? { status: 'not found' };
    return out;
  } catch (e) {
    return { reachable: false, error: fromHost(errorMessage(e), HOST_TEXT_LIMITS.detail) };
  }
}

export async function checkHealth(runner: CommandRunner, app: AppConfig, server: ServerConfig, signal?: AbortSignal): Promise<Partial<ServerSnapshot>> {
  const { from, url } = healthTarget(app, server);
  try {
    const r = await runner.httpGet(from, url, { timeoutMs: app.health.timeoutMs, signal });
    const reported = Object.fromEntries(Object.entries(parseHealthBody(r.body)).filter(([, v]) => v !== undefined));
    return {
      health: r.status === 200 ? 'up' : 'down',
      healthDetail: r.status === 200 ? undefined : `HTTP ${r.status} from ${url}`,
      httpStatus: r.status,
      responseMs: r.ms,
      ...(Object.keys(reported).length ? { reported } : {}),
    };
  } catch (e) {
    return { health: 'down', healthDetail: fromHost(`${url}: ${errorMessage(e)}`, HOST_TEXT_LIMITS.detail) };
  }
}
