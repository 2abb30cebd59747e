import { remote } from '../remote/scripts';
import { routingSections } from './config';

/** What the running HAProxy loads, against the one config file Blue-Green switches. */
export type ConfigSources =
  /** No HAProxy process seen (another host, hidden /proc), or relative paths that cannot be placed. */
  | { kind: 'unknown' }
  | { kind: 'only' }
  /** Files and directories HAProxy also loads, in its order (the config may be inside one). */
  | { kind: 'with-others'; sources: string[] }
  | { kind: 'not-named'; running: string[] };

/** Each distinct HAProxy command line (a master and its workers share one). */
export function parseCmdlines(output: string, endMark: string): string[][] {
  const seen = new Map<string, string[]>();
  let args: string[] = [];
  for (const line of output.split('\n')) {
    if (line === endMark) {
      const key = args.join('\0');
      if (args.length && !seen.has(key)) seen.set(key, args);
      args = [];
    } else if (line) args.push(line);
  }
  return [...seen.values()];
}

/** The config files and directories of one command line (`-f X`, and every argument after `--`); undefined when they cannot be placed. */
export function sourcesOf(args: string[]): string[] | undefined {
  const sources: string[] = [];
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '-C') return undefined;
    if (args[i] === '-f' && args[i + 1] !== undefined) sources.push(args[++i]);
    else if (args[i] === '--') {
      sources.push(...args.slice(i + 1));
      break;
    }
  }
  return sources.every((s) => s.startsWith('/')) ? sources : undefined;
}

function contains(source: string, config: string): boolean {
  const dir = source.replace(/\/+$/, '');
  return source === config || (config.startsWith(`${dir}/`) && !config.slice(dir.length + 1).includes('/') && config.endsWith('.cfg'));
}

export function configSources(processes: string[][], config: string): ConfigSources {
  const lists = processes.map(sourcesOf);
  if (!lists.length || lists.some((l) => l === undefined)) return { kind: 'unknown' };
  const loading = (lists as string[][]).find((l) => l.some((s) => contains(s, config)));
  if (!loading) return { kind: 'not-named', running: [...new Set((lists as string[][]).flat())] };
  return loading.every((s) => s === config) ? { kind: 'only' } : { kind: 'with-others', sources: loading };
}

const CMDLINE_END = '@@bg-haproxy-cmdline-end';

/** The remote script whose output `runningHaproxy` reads. */
export function runningHaproxyScript(): string {
  return remote.haproxyCmdlines(CMDLINE_END);
}

/** The command line of each running HAProxy that names its config files (a master and its workers count once). */
export function runningCommandLines(output: string): string[][] {
  return parseCmdlines(output, CMDLINE_END).filter((args) => sourcesOf(args)?.length);
}

/**
 * What the running HAProxy loads, against `config`, and whether the process that loads it runs
 * master-worker (`-W`, `-Ws`; undefined when no such process is seen).
 */
export function runningHaproxy(output: string, config: string): { sources: ConfigSources; masterWorker?: boolean } {
  const processes = parseCmdlines(output, CMDLINE_END);
  const loading = processes.find((args) => (sourcesOf(args) ?? []).some((s) => contains(s, config)));
  return { sources: configSources(processes, config), masterWorker: loading && loading.some((a) => a === '-W' || a === '-Ws') };
}

export interface SourceFile {
  path: string;
  text: string;
}

/** The files printed by read-config-sources.sh, and those it could not read. */
export function parseSourceFiles(output: string, mark: string): { files: SourceFile[]; unreadable: string[] } {
  const files: SourceFile[] = [];
  const unreadable: string[] = [];
  let current: SourceFile | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith(`${mark} `)) files.push((current = { path: line.slice(mark.length + 1), text: '' }));
    else if (line.startsWith(`${mark}! `)) {
      unreadable.push(line.slice(mark.length + 2));
      current = undefined;
    }
    else if (current) current.text += `${line}\n`;
  }
  return { files, unreadable };
}

/**
 * Why the config file alone does not say what HAProxy routes for the frontend: it is
 * declared again in another file HAProxy loads, or a file it loads cannot be read.
 */
export function otherFilesProblem(files: SourceFile[], unreadable: string[], config: string, frontend: string): string | undefined {
  if (unreadable.length) return `HAProxy also loads ${unreadable.join(', ')}, which cannot be read from here, so frontend "${frontend}" may be declared there too`;
  for (const f of files) {
    if (f.path === config) continue;
    const again = routingSections(f.text).find((s) => s.name === frontend);
    if (again) return `frontend "${frontend}" is declared again in ${f.path} (line ${again.start + 1}), which HAProxy also loads; Blue-Green will not guess which routing HAProxy uses: keep one`;
  }
  return undefined;
}
