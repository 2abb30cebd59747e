// What the scale row's refreshing process (bench/scaleRefresh.ts, a bundle of its own) reports to the bench.

export const WARM_RUNS = 20;

export interface RefreshFigures {
  cold: number;
  coldUnread: string[];
  warm: number;
  machineCpuMs: number;
  processCpuMs: number;
  /** The kernel's part of it. */
  processSystemMs: number;
  /** What the machine uses per warm refresh's time with no refresh running (the apps, HAProxy's checks, pm2). */
  machineIdleMs: number;
  rssMb: number;
  heapMb: number;
}
