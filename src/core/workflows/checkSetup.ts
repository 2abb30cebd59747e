import * as path from 'node:path';
import { serverHost } from '../config/hostRefs';
import { AppConfig, LoadBalancerConfig, ServerConfig } from '../config/types';
import { errorMessage } from '../errors';
import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { remote } from '../remote/scripts';
import { SectionedScript } from '../remote/sections';
import { fillTemplate, shQuote } from '../shell';
import { CommandRunner } from '../ssh/runner';
import { parsePm2Processes } from '../status/pm2Processes';
import { deployCommands, loadBalancerFindings, parseFacts, serverFindings, SetupFinding } from '../status/setupFindings';

/** Every host the app's operations run on, beside haproxy.cfg: each slot's servers, staging's, and each load balancer. */
export async function checkSetup(runner: CommandRunner, app: AppConfig, signal?: AbortSignal): Promise<SetupFinding[]> {
  const servers: { where: string; server: ServerConfig; branch: string }[] = [
    ...(['blue', 'green'] as const).flatMap((slot) => app.slots[slot].servers.map((server) => ({ where: `${slot.toUpperCase()} ${server.name}`, server, branch: app.slots[slot].branch ?? app.deploy.branch }))),
    ...(app.staging?.servers ?? []).map((server) => ({ where: `staging ${server.name}`, server, branch: app.staging!.branch })),
  ];
  const checks = [...servers.map((s) => checkServer(runner, app, s.where, s.server, s.branch, signal)), ...app.loadBalancers.map((lb) => checkLoadBalancer(runner, lb, signal))];
  return (await Promise.all(checks)).flat();
}

async function checkServer(runner: CommandRunner, app: AppConfig, where: string, server: ServerConfig, branch: string, signal?: AbortSignal): Promise<SetupFinding[]> {
  const { deploy } = app;
  const commands = deployCommands([deploy.install, deploy.build, deploy.migrate, deploy.restart]);
  const script = new SectionedScript()
    .add('host', remote.hostCheck(server.dir, deploy.remote, branch, commands))
    // Only when pm2 is there to ask; its list carries every process's environment, cut down at once.
    .add('pm2', 'if command -v pm2 >/dev/null 2>&1; then pm2 jlist; else exit 127; fi');
  try {
    const r = await runner.run(serverHost(server), script.script, { signal, timeoutMs: 60000 });
    const parts = script.parse(r.stdout);
    const host = parts.get('host');
    if (!host) throw new Error(`no answer (exit ${r.code}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
    const pm2 = parts.get('pm2');
    const pm2Names = pm2?.code === 0 ? parsePm2Processes(pm2.output).map((p) => p.name) : undefined;
    return serverFindings(parseFacts(host.output), { where, dir: server.dir, remote: deploy.remote, branch, pm2: server.pm2, commands, pm2Names });
  } catch (e) {
    return [unreachable(where, server.ssh, e)];
  }
}

async function checkLoadBalancer(runner: CommandRunner, lb: LoadBalancerConfig, signal?: AbortSignal): Promise<SetupFinding[]> {
  const where = `load balancer ${lb.ssh}`;
  const validate = fillTemplate(lb.validate, { file: lb.config });
  const sudos = [...new Set([lb.via, lb.reload, lb.validate].flatMap((text) => (text ?? '').split(/\s+/)).filter((w) => path.posix.basename(w) === 'sudo'))];
  try {
    const r = await runner.run({ ssh: lb.ssh, via: lb.via }, remote.lbCheck(path.posix.dirname(lb.stateFile), validate, sudos), { signal, timeoutMs: 60000 });
    return loadBalancerFindings(parseFacts(r.stdout), { where, stateFolder: path.posix.dirname(lb.stateFile), validate });
  } catch (e) {
    return [unreachable(where, lb.ssh, e)];
  }
}

function unreachable(where: string, ssh: string, e: unknown): SetupFinding {
  return { id: 'unreachable', severity: 'error', where, title: `cannot run commands on ${ssh}`, why: fromHost(errorMessage(e), HOST_TEXT_LIMITS.detail), byHand: 'check the ssh alias, the key and the via: prefix in bluegreen.yaml' };
}

/** `doctor --fix` for the state file's folder: made as the LB's user, mode 700 (it holds who did what). */
export async function makeStateFolders(runner: CommandRunner, app: AppConfig, findings: SetupFinding[], signal?: AbortSignal): Promise<string[]> {
  const made: string[] = [];
  for (const lb of app.loadBalancers) {
    const folder = path.posix.dirname(lb.stateFile);
    if (!findings.some((f) => f.makeFolder === folder && f.where === `load balancer ${lb.ssh}`)) continue;
    const r = await runner.run({ ssh: lb.ssh, via: lb.via }, `mkdir -p -m 700 -- ${shQuote(folder)}`, { signal, timeoutMs: 20000 });
    if (r.code === 0) made.push(`${lb.ssh}:${folder}`);
  }
  return made;
}
