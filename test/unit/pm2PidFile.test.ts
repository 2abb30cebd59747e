import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KnownStart, parsePidFileLine, pm2Script } from '../../src/core/status/pm2PidFile';

describe('pm2 pid file probe', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'bg-pm2-'));
    mkdirSync(path.join(home, 'pids'));
    // This test's own process stands in for the app pm2 started.
    writeFileSync(path.join(home, 'pids', 'shop-0.pid'), `${process.pid}`);
    // Asked when the process is gone; the real pm2 would start a daemon.
    mkdirSync(path.join(home, 'bin'));
    writeFileSync(path.join(home, 'bin', 'pm2'), '#!/bin/sh\necho "[]"\n', { mode: 0o755 });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const shell = (script: string) => spawnSync('sh', ['-s'], { input: script, encoding: 'utf8', env: { ...process.env, PM2_HOME: home, PATH: `${path.join(home, 'bin')}:${process.env.PATH ?? ''}` } }).stdout;
  const probe = (known?: KnownStart) => parsePidFileLine(shell(pm2Script('shop', known)));
  const machineUptimeMs = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
  const near = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) <= 2000, `${actual} is not within 2 s of ${expected}`);

  it('tells how long the process has run, from /proc, and what to remember for next time', () => {
    const first = probe()!;
    assert.equal(first.pm2?.status, 'online');
    assert.equal(first.pm2?.pid, process.pid);
    near(first.pm2?.uptimeMs, process.uptime() * 1000);
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    assert.equal(first.start?.process, `${process.pid} ${boot}`);
  });

  it('uses a remembered start only for the same pid in the same boot', () => {
    const first = probe()!;
    // Remembered as started at boot: the answer shows it was used instead of /proc.
    near(probe({ process: first.start!.process, ticks: '0' })?.pm2?.uptimeMs, machineUptimeMs());
    near(probe({ process: `${process.pid} another-boot`, ticks: '0' })?.pm2?.uptimeMs, process.uptime() * 1000);
    near(probe({ process: `1 ${first.start!.process.split(' ')[1]}`, ticks: '0' })?.pm2?.uptimeMs, process.uptime() * 1000);
  });

  it('says nothing from the pid file when its process is gone', () => {
    writeFileSync(path.join(home, 'pids', 'shop-0.pid'), '999999999');
    assert.equal(probe(), undefined);
    assert.equal(shell(pm2Script('shop')), '[]\n', 'pm2 itself was not asked');
  });
});
