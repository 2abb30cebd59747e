import { redact } from '../core/redact';
import { printErr } from '../core/stdio';
import { Reporter } from '../core/workflows/parts/reporter';

/** Progress on stderr, so stdout carries only the result (scripts can capture it). */
export function stderrReporter(): Reporter {
  // Every line leaves through here: credentials are removed here.
  const out = (s: string) => printErr(redact(s));
  return {
    step: (title, host) => out(`==> ${title}${host ? ` (${host})` : ''}`),
    line: (host, text) => out(`    [${host}] ${text}`),
    stepDone: (title, ms, error) => out(error ? `    ✗ ${title} failed after ${(ms / 1000).toFixed(1)} s: ${error}` : `    ✓ ${title} ${(ms / 1000).toFixed(1)} s`),
    info: (text) => out(text),
    warn: (text) => out(`warning: ${text}`),
  };
}
