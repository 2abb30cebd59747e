import { fromHost, HOST_TEXT_LIMITS } from '../hostText';

/** A pm2 process as `bluegreen init` offers it: what a slot's config takes from it, nothing more. */
export interface Pm2ProcessInfo {
  name: string;
  /** Where pm2 started it (pm_cwd): the checkout, or a folder inside it. */
  cwd?: string;
  /** Its PORT variable, which tells the process a backend's server line points at. */
  port?: number;
  status: string;
}

/**
 * Every process of `pm2 jlist`, each cut down at once to its name, folder, PORT and status:
 * the list carries each process's whole environment, secrets included, which go no further.
 * Names and folders are used as they are (the config needs them exact), so one that is not a
 * single printable line is left out rather than changed.
 */
export function parsePm2Processes(output: string): Pm2ProcessInfo[] {
  const json = output.split('\n').find((l) => l.trimStart().startsWith('['));
  let list: unknown;
  try {
    list = JSON.parse(json ?? '');
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const plain = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 4096 && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(v);
  const found: Pm2ProcessInfo[] = [];
  for (const p of list as { name?: unknown; pm2_env?: { pm_cwd?: unknown; status?: unknown; PORT?: unknown; env?: { PORT?: unknown } } }[]) {
    if (!p || !plain(p.name)) continue;
    const env = p.pm2_env ?? {};
    const port = Number(env.PORT ?? env.env?.PORT);
    found.push({
      name: p.name,
      ...(plain(env.pm_cwd) && env.pm_cwd.startsWith('/') ? { cwd: env.pm_cwd } : {}),
      ...(Number.isInteger(port) && port > 0 && port < 65536 ? { port } : {}),
      status: fromHost(String(env.status ?? 'unknown'), HOST_TEXT_LIMITS.word),
    });
  }
  return found;
}
