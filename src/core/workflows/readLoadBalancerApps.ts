import { randomBytes } from 'node:crypto';
import { parseSourceFiles, runningCommandLines, runningHaproxyScript, sourcesOf } from '../haproxy/loadedFiles';
import { proposeApps, ProposedApp, ProposedServer } from '../haproxy/proposeApps';
import { BlueGreenError } from '../errors';
import { remote } from '../remote/scripts';
import { CommandRunner, HostRef } from '../ssh/runner';
import { machineOf, resolveHost } from '../ssh/sshConfig';

/** Where HAProxy's config is when no running HAProxy names one: Debian's and most packages' place. */
const PACKAGED_CONFIG = '/etc/haproxy/haproxy.cfg';

/** A proposed slot server with the ssh aliases that reach its machine (by HostName), if any. */
export interface MatchedServer extends ProposedServer {
  aliases: string[];
}

export interface LoadBalancerApps {
  /** The file the apps were read from: the one the running HAProxy loads, else the packaged place. */
  config: string;
  /** How that file was found. */
  foundBy: 'running HAProxy' | 'packaged default' | 'given';
  apps: (Omit<ProposedApp, 'servers'> & { servers: { blue: MatchedServer[]; green: MatchedServer[] } })[];
  unpaired: string[];
  /** Files HAProxy loads that could not be read (permissions): what they hold is not proposed. */
  unreadable: string[];
  /** The running HAProxy's command line (its -p, -S, -W tell how it reloads). */
  commandLine?: string[];
  /** The global `stats socket` of the main file. */
  statsSocket?: string;
}

export interface ReadOptions {
  /** The ssh_config the aliases come from (default ~/.ssh/config). */
  sshConfig?: string;
  /** The haproxy.cfg to read, instead of the one the running HAProxy loads. */
  config?: string;
  /** Which of several running HAProxy configs (their main files) to read; without it, several are an error. */
  pickConfig?: (configs: string[]) => Promise<string>;
  signal?: AbortSignal;
}

/**
 * Reads, over SSH and changing nothing, the haproxy.cfg the load balancer's running HAProxy
 * loads (its command line's `-f`), and proposes the apps it describes (proposeApps), each slot
 * server matched to the ssh aliases whose HostName is its address. `aliases`: the Host names of
 * the ssh_config to match against.
 */
export async function readLoadBalancerApps(runner: CommandRunner, lb: HostRef, aliases: readonly string[], o: ReadOptions = {}): Promise<LoadBalancerApps> {
  const { signal } = o;
  const cmdlines = await runner.run(lb, runningHaproxyScript(), { signal, timeoutMs: 20000 });
  const running = runningCommandLines(cmdlines.stdout);
  const mainFile = (args: string[]) => sourcesOf(args)![0];
  let commandLine: string[] | undefined;
  let foundBy: LoadBalancerApps['foundBy'];
  if (o.config) {
    commandLine = running.find((args) => sourcesOf(args)!.includes(o.config!));
    foundBy = 'given';
  } else if (running.length) {
    const configs = [...new Set(running.map(mainFile))];
    let chosen = configs[0];
    if (configs.length > 1) {
      if (!o.pickConfig) throw new BlueGreenError('usage', `${lb.ssh} runs ${configs.length} HAProxy configs (${configs.join(', ')}): name the one to read`);
      chosen = await o.pickConfig(configs);
    }
    commandLine = running.find((args) => mainFile(args) === chosen);
    foundBy = 'running HAProxy';
  } else foundBy = 'packaged default';
  const sources = (commandLine && sourcesOf(commandLine)) ?? [o.config ?? PACKAGED_CONFIG];
  const mark = `@@bg-${randomBytes(8).toString('hex')}`;
  const read = await runner.run(lb, remote.readConfigSources(mark, sources), { signal, timeoutMs: 20000 });
  const { files, unreadable } = parseSourceFiles(read.stdout, mark);
  if (!files.length) throw new Error(`cannot read ${sources.join(', ')} on ${lb.ssh}${unreadable.length ? ' (permission denied?)' : ''}: pass the config's path, or read it as a user who can`);
  // The apps of every file HAProxy loads, the main file's first.
  const found = files.map((f) => proposeApps(f.text));
  const machines = machinesOf(aliases, o.sshConfig);
  const match = (s: ProposedServer): MatchedServer => {
    const at = machineOf({ hostname: s.address, port: 22 });
    return { ...s, aliases: machines.filter((m) => m.machine === at).map((m) => m.alias) };
  };
  return {
    config: files[0].path,
    foundBy,
    apps: found.flatMap((p) => p.apps).map((a) => ({ ...a, servers: { blue: a.servers.blue.map(match), green: a.servers.green.map(match) } })),
    unpaired: found.flatMap((p) => p.unpaired),
    unreadable,
    ...(commandLine ? { commandLine } : {}),
    ...(found[0].statsSocket ? { statsSocket: found[0].statsSocket } : {}),
  };
}

/** Each alias and the machine it reaches on port 22's terms (its HostName): a server's address matches it. */
function machinesOf(aliases: readonly string[], sshConfig?: string): { alias: string; machine: string }[] {
  return aliases.flatMap((alias) => {
    try {
      const h = resolveHost(alias, sshConfig);
      return [{ alias, machine: machineOf({ hostname: h.hostname, port: 22 }) }];
    } catch {
      // An alias that does not resolve matches nothing; the others still do.
      return [];
    }
  });
}
