// The bench's arithmetic, in a module with no imports of the lab, so that the scale row's
// refreshing process (bench/scaleRefresh.ts) loads nothing else.
import { readFileSync } from 'node:fs';

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** "8.1 ms", "152 ms": a duration for the tables. */
export function ms(value: number): string {
  return Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : 'n/a';
}

/** CPU time used by every process on this machine so far, from /proc/stat. */
export function machineCpuMs(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) * (1000 / 100);
}
