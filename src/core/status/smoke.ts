import { healthTarget } from '../config/hostRefs';
import { AppConfig, ServerConfig, SmokeCheck } from '../config/types';
import { errorMessage } from '../errors';
import { CommandRunner, HttpResult } from '../ssh/runner';
import { SmokeResult } from './snapshot';

export function smokeName(check: SmokeCheck): string {
  return check.name ?? `GET ${check.path}${check.host ? ` (Host ${check.host})` : ''}`;
}

/** The value at a dotted path of a parsed JSON body ("data.status"). */
function fieldOf(body: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), body);
}

/** What one answer says about one check: every expectation the check names, the first unmet one reported. */
export function judgeSmoke(check: SmokeCheck, r: HttpResult, timeoutMs: number): SmokeResult {
  const name = smokeName(check);
  const fail = (detail: string): SmokeResult => ({ name, ok: false, detail });
  if (r.status !== check.status) return fail(`HTTP ${r.status}, expected ${check.status}`);
  const maxMs = check.maxMs ?? timeoutMs;
  if (r.ms > maxMs) return fail(`answered in ${r.ms} ms, over ${maxMs} ms`);
  if (check.contains !== undefined && !r.body.includes(check.contains)) return fail(`the body does not contain ${JSON.stringify(check.contains)}`);
  if (check.json) {
    let body: unknown;
    try {
      body = JSON.parse(r.body);
    } catch {
      return fail('the body is not JSON');
    }
    const value = fieldOf(body, check.json.field);
    if (value !== check.json.equals) return fail(`${check.json.field} is ${value === undefined ? 'missing' : JSON.stringify(value)}, expected ${JSON.stringify(check.json.equals)}`);
  }
  return { name, ok: true, detail: `HTTP ${r.status} in ${r.ms} ms` };
}

/** The app's smoke checks against one server, in parallel, from where its health is checked. */
export async function runSmoke(runner: CommandRunner, app: AppConfig, server: ServerConfig, signal?: AbortSignal): Promise<SmokeResult[]> {
  const { from } = healthTarget(app, server);
  const base = server.url.replace(/\/$/, '');
  return Promise.all(
    app.smoke.map(async (check) => {
      const timeoutMs = check.maxMs ? Math.max(check.maxMs, app.health.timeoutMs) : app.health.timeoutMs;
      try {
        return judgeSmoke(check, await runner.httpGet(from, base + check.path, { timeoutMs, hostHeader: check.host, signal }), app.health.timeoutMs);
      } catch (e) {
        return { name: smokeName(check), ok: false, detail: errorMessage(e) };
      }
    }),
  );
}

/** "2 of 3 smoke tests<verb>: GET /api (HTTP 500, expected 200); …" for the failed ones, or undefined when all passed. */
function failedText(results: readonly SmokeResult[] | undefined, verb: string): string | undefined {
  const all = results ?? [];
  const failed = all.filter((r) => !r.ok);
  return failed.length ? `${failed.length} of ${all.length} smoke test${all.length > 1 ? 's' : ''}${verb}: ${failed.map((r) => `${r.name} (${r.detail})`).join('; ')}` : undefined;
}

/** "2 of 3 smoke tests: …", to follow "fails". */
export function failedSmoke(results: readonly SmokeResult[] | undefined): string | undefined {
  return failedText(results, '');
}

/** "1 of 2 smoke tests failed: home (HTTP 503, expected 200)", or undefined when all passed. */
export function smokeFailures(results: readonly SmokeResult[] | undefined): string | undefined {
  return failedText(results, ' failed');
}
