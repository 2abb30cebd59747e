import { Reporter } from '../core/workflows/reporter';

/** Progress on stderr, so stdout carries only the result (scripts can capture it). */
export function stderrReporter(): Reporter {
  const out = (s: string) => process.stderr.write(`${s}\n`);
  return {
    step: (title, host) => out(`==> ${title}${host ? ` (${host})` : ''}`),
    line: (host, text) => out(`    [${host}] ${text}`),
    stepDone: (title, ms, error) => out(error ? `    ✗ ${title} failed after ${(ms / 1000).toFixed(1)} s: ${error}` : `    ✓ ${title} ${(ms / 1000).toFixed(1)} s`),
    info: (text) => out(text),
    warn: (text) => out(`warning: ${text}`),
  };
}
