import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import * as vscode from 'vscode';
import { api, until } from './extensionHost';

const CLI = path.join(__dirname, '../../../dist/cli.js');



function sshLogins(): number {
  const dir = process.env.BLUEGREEN_LAB_DIR;
  assert.ok(dir, 'BLUEGREEN_LAB_DIR is not set for the extension host');
  return ['lb', 'blue', 'green'].reduce((n, h) => n + (readFileSync(path.join(dir, 'hosts', h, 'sshd.log'), 'utf8').match(/Accepted publickey/g) ?? []).length, 0);
}

describe('Blue-Green in a real VS Code extension host', () => {
  it('activates without touching the network while its view is hidden', async () => {
    const loginsBefore = sshLogins();
    const { model } = await api();
    await until('the config', () => model.config);
    // The Blue-Green view is not open in this workbench: nothing may connect yet.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(sshLogins(), loginsBefore, 'SSH logins happened while the view was hidden');
    assert.equal(model.snapshot, undefined);
  });

  it('registers every contributed command', async () => {
    const { model } = await api();
    await until('the config', () => model.config);
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of pkg.contributes.commands) assert.ok(registered.has(command), `${command} is contributed but not registered`);
  });

  it("Create bluegreen.yaml from the Load Balancer opens the workspace's bluegreen.yaml instead of writing over it", async () => {
    const { model, notifications } = await api();
    const config = await until('the config', () => model.config);
    const before = readFileSync(config.file, 'utf8');
    await vscode.commands.executeCommand('bluegreen.initFromLoadBalancer');
    assert.equal(readFileSync(config.file, 'utf8'), before);
    assert.match(notifications.at(-1)?.message ?? '', /bluegreen\.yaml already exists; opening it instead of overwriting it/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, config.file);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('reads the lab: BLUE LIVE, GREEN STANDBY, in the tree and on the badge', async () => {
    const { model, badge, tree } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const snapshot = await until('a snapshot', () => model.snapshot);
    assert.equal(snapshot.apps[0].live, 'blue');

    const [appNode] = tree.getChildren();
    assert.equal(tree.getTreeItem(appNode).label, 'demo');
    // LIVE first, then STANDBY, then the way to production (the lab has a staging), the load balancer (and the history, once there is one).
    const children = tree.getChildren(appNode).map((n) => tree.getTreeItem(n)).slice(0, 4);
    assert.deepEqual(children.map((i) => i.label), ['LIVE v1.1.0 · BLUE', 'STANDBY v1.1.0 · GREEN', 'Staging', 'Load balancer']);
    assert.deepEqual(children.map((i) => i.contextValue), ['slot:live:up', 'slot:standby:up', 'pipeline:never', 'loadBalancer']);
    assert.equal(children[2].description, 'never deployed');
    children.splice(2, 1);
    // Each slot in its own colour; the load balancer's row says where it routes.
    assert.deepEqual(children.slice(0, 2).map((i) => ((i.iconPath as vscode.ThemeIcon).color as unknown as { id: string }).id), ['charts.blue', 'charts.green']);
    assert.match(String(children[2].description), /^→ BLUE · \d+ switch(es)?/);
    assert.equal(badge.text, '$(broadcast) LIVE: BLUE v1.1.0');
    // STANDBY is healthy: the view's title bar offers Deploy and Release.
    const { contextKeys } = await api();
    // The keys are set just after the read that decides them.
    await until('the title bar keys', () => contextKeys.get('bluegreen.canRelease'), 5000);
    assert.deepEqual([contextKeys.get('bluegreen.canDeploy'), contextKeys.get('bluegreen.canRelease')], [true, true]);
  });

  it("several apps: a tree root each; the badge shows the app whose folder holds the edited file, else one line for all of them", async function () {
    this.timeout(60_000);
    const { model, badge, tree } = await api();
    const lab = process.env.BLUEGREEN_LAB_DIR!;
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const configFile = path.join(folder, 'bluegreen.yaml');
    const original = readFileSync(configFile, 'utf8');
    // The lab's app a second time, through the shared frontend, as "shop", with a state file that agrees with HAProxy.
    // Apps never share a checkout, a pm2 process or an address: shop's slots are copies of the
    // app's checkouts, each run by a process of its own on the slot's host at another port.
    const shared = readFileSync(path.join(lab, 'bluegreen.shared.yaml'), 'utf8');
    const routed = /use_backend demo_shared_(blue|green) if is_demo/.exec(readFileSync(path.join(lab, 'hosts', 'lb', 'haproxy.cfg'), 'utf8'))![1];
    const shopProcesses: ChildProcess[] = [];
    const shopDirs: string[] = [];
    for (const m of shared.matchAll(/url: http:\/\/([\d.]+):3001\n\s+dir: (\S+)\/app\n/g)) {
      const [, address, home] = m;
      // The slots' servers; not the staging host's.
      if (!/hosts\/(blue|green)$/.test(home)) continue;
      const dir = path.join(home, 'shop-app');
      cpSync(path.join(home, 'app'), dir, { recursive: true });
      shopDirs.push(dir);
      const colour = /hosts\/(blue|green)/.exec(home)?.[1] ?? 'blue';
      shopProcesses.push(spawn(process.execPath, [path.join(dir, 'server.js')], { env: { PATH: process.env.PATH ?? '', HOST: address, PORT: '3002', APP_ENV: colour, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'ignore' }));
    }
    const shopState = path.join(lab, 'hosts', 'lb', 'state', 'shop-deployment-state.json');
    writeFileSync(shopState, JSON.stringify({ live: routed, standby: routed === 'blue' ? 'green' : 'blue', switchCount: 0 }));
    const shop = shared
      .slice(shared.indexOf('  - name: demo'))
      .replace('  - name: demo', '  - name: shop\n    folder: shop')
      .replace(/^ {4}staging:\n(?: {6}.*\n)+/m, '')
      .replace(/stateFile: \S+/, `stateFile: ${shopState}`)
      .replace(/(url: http:\/\/[\d.]+):3001/g, '$1:3002')
      .replace(/dir: (\S+)\/app\n/g, 'dir: $1/shop-app\n')
      .replace(/pm2: demo-/g, 'pm2: shop-');
    mkdirSync(path.join(folder, 'shop'), { recursive: true });
    writeFileSync(path.join(folder, 'shop', 'server.js'), '// the shop app\n');
    // The file watcher reloads the config (and drops the status) when it sees the change, with the
    // view hidden it does not read the status again: read it whenever there is none.
    const badgeSays = async (expected: (text: string) => boolean, what: string) => {
      for (const until = Date.now() + 15_000; !(model.snapshot && expected(badge.text)); await new Promise((r) => setTimeout(r, 100))) {
        if (Date.now() > until) assert.fail(`the badge never showed ${what}: "${badge.text}" (${model.snapshot?.apps.map((a) => `${a.name}: ${a.drift.map((d) => d.message).join('; ')}`).join(' | ') ?? 'no status'})`);
        if (!model.snapshot) await model.refresh();
      }
    };
    const configured = (apps: number) => until(`${apps} app(s) in the config`, () => (model.config?.apps.length === apps ? true : undefined), 10_000);
    try {
      // Inside the try: its finally stops the processes however this test ends.
      assert.equal(shopProcesses.length, 2, 'both slots of the shared config');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      writeFileSync(configFile, original + shop);
      await configured(2);
      await badgeSays((text) => text === '$(broadcast) 2 apps: all LIVE healthy', 'all apps healthy');
      assert.deepEqual(tree.getChildren().map((n) => tree.getTreeItem(n).label), ['demo', 'shop']);
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'shop', 'server.js')));
      await badgeSays((text) => text === `$(broadcast) shop LIVE: ${routed.toUpperCase()} v1.1.0`, 'the shop app');
      await vscode.window.showTextDocument(vscode.Uri.file(configFile));
      await badgeSays((text) => text.startsWith('$(broadcast) 2 apps: '), 'all apps again');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      writeFileSync(configFile, original);
      await configured(1);
      await badgeSays((text) => text.startsWith('$(broadcast) LIVE: '), 'the one app again');
      for (const p of shopProcesses) p.kill();
      for (const d of shopDirs) rmSync(d, { recursive: true, force: true });
    }
    assert.deepEqual(tree.getChildren().map((n) => tree.getTreeItem(n).label), ['demo']);
  });

  it('deploys to STANDBY and releases through the commands; the badge and tree show the new LIVE as soon as the switch is verified', async function () {
    this.timeout(180_000);
    const { model, badge, tree, confirmSeam, contextKeys, outputLines, notifications } = await api();
    // The walkthrough's steps tick from these keys: read from the lab, nothing is deployed or released yet.
    await vscode.commands.executeCommand('bluegreen.refresh');
    const walkthrough = () => ({ deployDone: contextKeys.get('bluegreen.deployDone'), releaseDone: contextKeys.get('bluegreen.releaseDone'), syncDone: contextKeys.get('bluegreen.syncDone') });
    assert.deepEqual(walkthrough(), { deployDone: false, releaseDone: false, syncDone: false });
    assert.equal(contextKeys.get('bluegreen.hasConfig'), true);
    confirmSeam.answer = () => ({ ok: true });
    try {
      const deployed = await vscode.commands.executeCommand<boolean>('bluegreen.deploy', { app: { name: 'demo' }, slot: { name: 'green' } });
      assert.equal(deployed, true, outputLines.slice(-20).join('\n'));
      assert.deepEqual(walkthrough(), { deployDone: true, releaseDone: false, syncDone: false });
      // The result offers the next step: release what was deployed.
      assert.deepEqual(notifications.at(-1), { level: 'info', message: notifications.at(-1)!.message, buttons: ['Release…', 'Show Output'] });
      assert.match(notifications.at(-1)!.message, /GREEN \(STANDBY\) runs v1\.2\.0/);
      assert.match(confirmSeam.asked[0].title, /^Deploy origin\/main \(v1\.2\.0, [0-9a-f]{7}\) to GREEN \(STANDBY\)\?$/);
      assert.match(confirmSeam.asked[0].detail, /^It lands [0-9a-f]{7} .+, version 1\.2\.0 in package\.json\.\n/);
      // pm2's table comes as one line a process.
      assert.ok(outputLines.some((l) => /pm2: demo-green online · pid \d+/.test(l)), outputLines.filter((l) => /pm2|│/.test(l)).join('\n'));
      assert.ok(outputLines.includes('── Build (lab-green) ──'), 'the output channel lacks the Build step header');
      assert.ok(outputLines.some((l) => /^✓ Restart demo-green \(\d+\.\d s\)$/.test(l)));
      assert.ok(outputLines.some((l) => /^════ Deploy done in .*GREEN \(STANDBY\) runs v1\.2\.0/.test(l)));

      // What the badge and the tree say while the release runs (the lab watches for 2 s).
      const seen: { badge: string; slots: string[] }[] = [];
      let running = true;
      const releasing = Promise.resolve(vscode.commands.executeCommand<boolean>('bluegreen.release')).finally(() => (running = false));
      while (running) {
        const [app] = tree.getChildren();
        seen.push({ badge: badge.text, slots: app ? tree.getChildren(app).slice(0, 2).map((n) => String(tree.getTreeItem(n).label)) : [] });
        await new Promise((r) => setTimeout(r, 50));
      }
      const released = await releasing;
      assert.equal(released, true, outputLines.slice(-20).join('\n'));
      assert.deepEqual(notifications.at(-1)?.buttons, ['Sync STANDBY', 'Roll Back', 'Show Output'], notifications.at(-1)?.message);
      const watching = seen.find((s) => /^\$\(broadcast\) LIVE: GREEN v1\.2\.0 · watching \(\d+ s left\)$/.test(s.badge));
      assert.ok(watching, `the badge never showed GREEN LIVE during the watch: ${[...new Set(seen.map((s) => s.badge))].join(' / ')}`);
      // LIVE stays the first row across the switch.
      assert.deepEqual(watching.slots, ['LIVE v1.2.0 · GREEN', 'STANDBY v1.1.0 · BLUE']);
      assert.ok(seen.every((s) => s.slots.length === 0 || s.slots[0].startsWith('LIVE ')), `a row other than LIVE came first: ${[...new Set(seen.map((s) => s.slots[0]))].join(' / ')}`);
      assert.ok(!outputLines.some((l) => l.includes('@@bluegreen')), 'protocol markers reached the output channel');
      const noise = outputLines.filter((l) => /^\[[\w.-]+\] [⟩)]/.test(l) || /bash: line \d+|\/dev\/tcp/.test(l));
      assert.deepEqual(noise, [], 'raw shell noise or stray markers in the output channel');
      assert.equal(confirmSeam.asked[1].title, 'Switch traffic from BLUE (v1.1.0) to GREEN (v1.2.0)?');
      assert.match(confirmSeam.asked[1].detail, /Release v1\.2\.0/, 'the dialog lists the commits between the versions');

      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.equal(model.snapshot?.apps[0].live, 'green');
      assert.equal(badge.text, '$(broadcast) LIVE: GREEN v1.2.0');
      // The state file's history now has the switch; the slots still run different commits.
      assert.deepEqual(walkthrough(), { deployDone: true, releaseDone: true, syncDone: false });
      await until('the walkthrough to be registered', () => contextKeys.get('bluegreen.walkthroughReady') || undefined, 15_000);
      const [appNode] = tree.getChildren();
      assert.deepEqual(tree.getChildren(appNode).slice(0, 2).map((n) => tree.getTreeItem(n).label), ['LIVE v1.2.0 · GREEN', 'STANDBY v1.1.0 · BLUE']);
    } finally {
      confirmSeam.answer = undefined;
    }
  });

  it('a watch nobody runs any more (its editor closed) shows as interrupted in the tree and on the badge; Stop Watching on it removes it', async function () {
    this.timeout(60_000);
    const { model, badge, tree, outputLines } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = model.snapshot?.apps[0].live;
    assert.ok(live, 'the lab has no LIVE slot');
    const stateFile = model.config!.apps[0].loadBalancer.stateFile;
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(stateFile, JSON.stringify({ ...state, watch: { slot: live, until: new Date(Date.now() + 10 * 60_000).toISOString(), since: new Date().toISOString(), by: 'ann@laptop' } }));
    await vscode.commands.executeCommand('bluegreen.refresh');
    // The watch is a row of the app's own, under LIVE and STANDBY.
    const appRows = () => tree.getChildren(tree.getChildren()[0]);
    const watchNode = appRows().find((n) => tree.getTreeItem(n).contextValue === 'watch:interrupted');
    assert.ok(watchNode, `no interrupted watch in the tree: ${appRows().map((n) => tree.getTreeItem(n).label).join(', ')}`);
    const item = tree.getTreeItem(watchNode);
    assert.equal(item.label, 'Watch interrupted');
    assert.match(String(item.description), /^(10|9) min left · nobody is watching$/);
    assert.match(badge.text, /· watch interrupted \((10|9) min left\)$/);
    assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.stopWatch', watchNode), true, outputLines.slice(-10).join('\n'));
    assert.equal((JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>).watch, undefined);
    await vscode.commands.executeCommand('bluegreen.refresh');
    assert.ok(!appRows().some((n) => String(tree.getTreeItem(n).contextValue).startsWith('watch:')));
  });

  it('with the view closed, the badge turns red within its check interval once LIVE stops answering, says why, and recovers', async function () {
    this.timeout(120_000);
    const { model, badge } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = model.snapshot?.apps[0].live;
    assert.ok(live, 'the lab has no LIVE slot');
    assert.equal(badge.alarm, undefined, badge.text);
    const settings = vscode.workspace.getConfiguration('bluegreen');
    await settings.update('badgeCheckSeconds', 2, vscode.ConfigurationTarget.Global);
    const unhealthy = path.join(process.env.BLUEGREEN_LAB_DIR!, 'hosts', live, 'unhealthy');
    writeFileSync(unhealthy, '');
    try {
      await until('the badge to say LIVE is down', () => (badge.text.includes('· LIVE down') ? true : undefined), 60_000);
      assert.equal(badge.alarm, 'error');
      assert.equal(model.snapshot?.apps[0].live, live, 'the check changed what was read as LIVE');
    } finally {
      rmSync(unhealthy, { force: true });
    }
    try {
      await until('the badge to recover', () => (badge.text.includes('LIVE down') ? undefined : true), 60_000);
      assert.equal(badge.alarm, undefined, badge.text);
    } finally {
      await settings.update('badgeCheckSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a release refused because STANDBY is unhealthy says why once, and offers to redeploy it', async function () {
    this.timeout(60_000);
    const { model, notifications, confirmSeam } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const standby = model.snapshot?.apps[0].standby;
    assert.ok(standby, 'the lab has no STANDBY slot');
    const unhealthy = path.join(process.env.BLUEGREEN_LAB_DIR!, 'hosts', standby, 'unhealthy');
    writeFileSync(unhealthy, '');
    confirmSeam.answer = () => ({ ok: true });
    const askedBefore = confirmSeam.asked.length;
    try {
      const shown = notifications.length;
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.release'), false);
      const refusal = notifications.slice(shown).find((n) => n.level === 'error');
      assert.ok(refusal, `no error notification: ${JSON.stringify(notifications.slice(shown))}`);
      assert.match(refusal.message, new RegExp(`${standby.toUpperCase()}`));
      assert.deepEqual(refusal.buttons, ['Redeploy STANDBY', 'Show Output']);
      assert.equal(confirmSeam.asked.length, askedBefore, 'a refused release asked for a confirmation');
    } finally {
      rmSync(unhealthy, { force: true });
      confirmSeam.answer = undefined;
    }
  });

  it('a canary is a row of the app, with End on it: ending it from the row sends every client back to LIVE', async function () {
    this.timeout(120_000);
    const { model, tree, confirmSeam, notifications, outputLines } = await api();
    confirmSeam.answer = () => ({ ok: true });
    try {
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.canary', { app: { name: 'demo' } }, 10), true, outputLines.slice(-15).join('\n'));
      assert.deepEqual(notifications.at(-1)?.buttons, ['Promote', 'End Canary', 'Show Output']);
      await vscode.commands.executeCommand('bluegreen.refresh');
      const rows = tree.getChildren(tree.getChildren()[0]);
      const canaryRow = rows.find((n) => tree.getTreeItem(n).contextValue === 'canary');
      assert.ok(canaryRow, `no canary row: ${rows.map((n) => tree.getTreeItem(n).label).join(', ')}`);
      assert.equal(rows.indexOf(canaryRow), 2, 'the canary comes right after LIVE and STANDBY');
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.endCanary', canaryRow), true, outputLines.slice(-15).join('\n'));
      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.equal(model.snapshot?.apps[0].lb.canary, undefined);
      assert.ok(!tree.getChildren(tree.getChildren()[0]).some((n) => tree.getTreeItem(n).contextValue === 'canary'));
    } finally {
      confirmSeam.answer = undefined;
    }
  });

  it('drift is told once when it appears, with Reconcile on it; the tree shows it as a row with Reconcile inline', async () => {
    const { model, tree, notifications } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = model.snapshot?.apps[0].live;
    assert.ok(live, 'the lab has no LIVE slot');
    const stateFile = model.config!.apps[0].loadBalancer.stateFile;
    const original = readFileSync(stateFile, 'utf8');
    const other = live === 'blue' ? 'green' : 'blue';
    writeFileSync(stateFile, JSON.stringify({ ...(JSON.parse(original) as Record<string, unknown>), live: other, prod: other, standby: live }));
    try {
      const shown = notifications.length;
      await vscode.commands.executeCommand('bluegreen.refresh');
      await vscode.commands.executeCommand('bluegreen.refresh');
      const told = notifications.slice(shown).filter((n) => n.level === 'warning' && n.buttons.includes('Reconcile'));
      assert.equal(told.length, 1, JSON.stringify(notifications.slice(shown)));
      const row = tree.getChildren(tree.getChildren()[0]).map((n) => tree.getTreeItem(n)).find((i) => String(i.contextValue).startsWith('drift:state-file'));
      assert.ok(row, 'no drift row');
      assert.equal(row.label, 'Drift');
    } finally {
      writeFileSync(stateFile, original);
      await vscode.commands.executeCommand('bluegreen.refresh');
    }
  });

  it("Reconcile settles drift either way: the state file's LIVE (a switch, through the release's dialog) or HAProxy's (the file rewritten)", async function () {
    this.timeout(120_000);
    const { model, confirmSeam, outputLines, notifications } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = model.snapshot!.apps[0].live!;
    const other = live === 'blue' ? 'green' : 'blue';
    const stateFile = model.config!.apps[0].loadBalancer.stateFile;
    const original = readFileSync(stateFile, 'utf8');
    const recordOther = () => writeFileSync(stateFile, JSON.stringify({ ...(JSON.parse(original) as Record<string, unknown>), live: other, prod: other, standby: live }));
    const onDemo = { app: { name: 'demo' } };
    confirmSeam.answer = () => ({ ok: true });
    try {
      // The state file is right: traffic goes back to the slot it records, as a switch.
      recordOther();
      await vscode.commands.executeCommand('bluegreen.refresh');
      const asked = confirmSeam.asked.length;
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.reconcile', onDemo, 'route-back'), true, outputLines.slice(-15).join('\n'));
      assert.equal(confirmSeam.asked[asked].title.startsWith(`Route traffic back from ${live.toUpperCase()}`), true, confirmSeam.asked[asked].title);
      assert.match(confirmSeam.asked[asked].detail, new RegExp(`this switch routes traffic back to ${other.toUpperCase()}, as the state file records`));
      assert.deepEqual(notifications.at(-1)?.buttons, ['Roll Back', 'Show Output']);
      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.equal(model.snapshot!.apps[0].live, other);
      assert.deepEqual(model.snapshot!.apps[0].drift.filter((d) => d.kind.startsWith('state-file')), []);
      const entry = (JSON.parse(readFileSync(stateFile, 'utf8')) as { history: Record<string, unknown>[] }).history.at(-1)!;
      assert.deepEqual([entry.from, entry.to, entry.routedBack], [live, other, true]);
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.rollback', onDemo), true, outputLines.slice(-15).join('\n'));

      // HAProxy is right: the state file is rewritten, traffic is not touched.
      recordOther();
      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.reconcile', onDemo, 'accept-haproxy'), true, outputLines.slice(-15).join('\n'));
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { live: string; history: Record<string, unknown>[] };
      assert.deepEqual([state.live, state.history.at(-1)!.kind, state.history.at(-1)!.recorded], [live, 'reconcile', other]);
      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.equal(model.snapshot!.apps[0].live, live);
    } finally {
      confirmSeam.answer = undefined;
      writeFileSync(stateFile, original);
      await vscode.commands.executeCommand('bluegreen.refresh');
    }
  });

  it('refuses a deploy aimed at the LIVE slot, and changes nothing when the dialog is cancelled', async () => {
    const { model, confirmSeam, outputLines } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = model.snapshot?.apps[0].live;
    assert.ok(live, 'the lab has no LIVE slot');
    const [LIVE, STANDBY] = live === 'blue' ? ['BLUE', 'GREEN'] : ['GREEN', 'BLUE'];
    confirmSeam.answer = () => ({ ok: true });
    try {
      const ok = await vscode.commands.executeCommand<boolean>('bluegreen.deploy', { app: { name: 'demo' }, slot: { name: live } });
      assert.equal(ok, false);
      assert.ok(outputLines.some((l) => l.includes(`${LIVE} is LIVE; deploys go to the STANDBY slot (${STANDBY}) only`)), outputLines.slice(-10).join('\n'));
      confirmSeam.answer = () => ({ ok: false });
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.release'), false);
      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.equal(model.snapshot?.apps[0].live, live);
    } finally {
      confirmSeam.answer = undefined;
    }
  });

  it('a missing idle-close-on-response: the tree lists it, the release dialog warns and offers Fix First, which switches nothing and runs Check Setup; its confirmed fix adds exactly that line', async function () {
    this.timeout(120_000);
    const { model, tree, confirmSeam, outputLines } = await api();
    const lbHome = path.join(process.env.BLUEGREEN_LAB_DIR ?? '', 'hosts', 'lb');
    const cfg = path.join(lbHome, 'haproxy.cfg');
    const reload = () => execFileSync('sh', ['-c', `kill -USR2 "$(cat ${path.join(lbHome, 'haproxy.pid')})"`]);
    // HAProxy's master may not take a reload sent right after another, and takes a moment with
    // one it takes: reload until the status says the file is loaded, so that no step of the
    // test (or the next tests) starts with that drift, which a release refuses.
    const reloadUntilLoaded = async () => {
      for (let i = 0; i < 20; i++) {
        reload();
        await new Promise((r) => setTimeout(r, 500));
        await vscode.commands.executeCommand('bluegreen.refresh');
        if (!model.snapshot?.apps[0].drift.some((d) => d.kind === 'config-not-loaded')) return;
      }
    };
    const original = readFileSync(cfg, 'latin1');
    const without = original.replace('    option idle-close-on-response\n', '');
    assert.notEqual(without, original);
    writeFileSync(cfg, without, 'latin1');
    await reloadUntilLoaded();
    const finding = 'option idle-close-on-response is not set for frontend "demo"';
    const lbChildren = () => {
      const [appNode] = tree.getChildren();
      const lbNode = tree.getChildren(appNode).find((n) => String(tree.getTreeItem(n).contextValue).startsWith('loadBalancer'))!;
      return tree.getChildren(lbNode).map((n) => String(tree.getTreeItem(n).label));
    };
    confirmSeam.answer = () => ({ ok: true });
    try {
      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.ok(model.snapshot?.apps[0].lb.findings?.some((f) => f.title === finding), JSON.stringify(model.snapshot?.apps[0].lb.findings));
      assert.ok(lbChildren().includes(finding), lbChildren().join(' / '));
      // The release dialog warns and offers Fix First: nothing is switched, the doctor runs and asks.
      const live = model.snapshot?.apps[0].live;
      const asked = confirmSeam.asked.length;
      confirmSeam.answer = (request) => (request.alternative === 'Fix First' ? { ok: false, alternative: true } : { ok: true });
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.release'), false, outputLines.slice(-20).join('\n'));
      assert.match(confirmSeam.asked[asked].detail, /⚠ This switch will reset the keep-alive connections idle at that moment/);
      assert.equal(confirmSeam.asked[asked].alternative, 'Fix First');
      assert.match(confirmSeam.asked[asked + 1].title, /^Add 1 line\(s\) to .*haproxy\.cfg on lab-lb and reload HAProxy\?$/);
      assert.match(confirmSeam.asked[asked + 1].detail, /\+ option idle-close-on-response {3}\(after line \d+\)/);
      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.equal(model.snapshot?.apps[0].live, live, 'Fix First switched traffic');
      assert.equal(readFileSync(cfg, 'latin1'), without.replace('frontend demo\n', 'frontend demo\n    option idle-close-on-response\n'), 'more than the one line changed');
      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.ok(!lbChildren().includes(finding), 'the finding is still listed after the fix');
    } finally {
      confirmSeam.answer = undefined;
      writeFileSync(cfg, original, 'latin1');
      await reloadUntilLoaded();
    }
  });

  it('checks bluegreen.yaml as you type: an unknown key is underlined before the file is saved, and the mark goes when it is fixed', async function () {
    this.timeout(30_000);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder');
    const uri = vscode.Uri.joinPath(folder.uri, 'bluegreen.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => /^\s+reload:/.test(l));
    assert.ok(line >= 0, 'the lab config has no reload line');
    const at = new vscode.Range(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex, line, doc.lineAt(line).firstNonWhitespaceCharacterIndex + 'reload'.length);
    const edit = (text: string) => vscode.window.activeTextEditor!.edit((e) => e.replace(at, text));
    try {
      assert.ok(await edit('relaod'));
      const problems = await until('a diagnostic for the typo', () => {
        const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Blue-Green');
        return d.length ? d : undefined;
      });
      assert.ok(problems.some((d) => /unknown key "relaod".*did you mean "reload"/.test(d.message) && d.range.start.line === line), problems.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
      assert.ok(doc.isDirty, 'the file was saved');
      assert.ok(await edit('reload'));
      await until('the diagnostics to clear', () => (vscode.languages.getDiagnostics(uri).some((x) => x.source === 'Blue-Green') ? undefined : true));
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it('row 1: asks about an unknown host key and, without a yes, refuses it showing its fingerprint', async function () {
    this.timeout(120_000);
    const { model } = await api();
    const file = model.configFile!.fsPath;
    const original = readFileSync(file, 'utf8');
    const empty = path.join(path.dirname(file), 'empty_known_hosts');
    writeFileSync(empty, '');
    const loginsBefore = sshLogins();
    try {
      writeFileSync(file, original.replace(/^ssh:\n/m, `ssh:\n  knownHosts: ${empty}\n`));
      // Let the file watcher's own reload land first.
      await new Promise((r) => setTimeout(r, 1500));
      await model.loadConfig();
      assert.equal(model.config?.ssh.knownHosts, empty, model.configProblem);
      await vscode.commands.executeCommand('bluegreen.refresh');
      const app = model.snapshot?.apps[0];
      // Workbench dialogs are refused in tests, which is what Cancel does.
      assert.match(app?.lb.error ?? '', /not in known_hosts \(ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}\)/);
      assert.equal(app?.live, undefined);
      assert.equal(sshLogins(), loginsBefore, 'a login happened with an unverified host key');
      assert.equal(readFileSync(empty, 'utf8'), '', 'known_hosts was written');
    } finally {
      writeFileSync(file, original);
      await new Promise((r) => setTimeout(r, 1500));
      await model.loadConfig();
    }
  });
  it('a spawned bluegreen mcp asks for approval through the extension, which shows the same dialog and answers it', async function () {
    this.timeout(120_000);
    const { model, confirmSeam } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = model.snapshot!.apps[0].live!;
    const to = live === 'blue' ? 'green' : 'blue';
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
    const client = new Client({ name: 'extension-host-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--config', model.config!.file], env, stderr: 'pipe' }));
    const asked = confirmSeam.asked.length;
    try {
      // The agent's first call asks whether it may run bluegreen.yaml's commands; yes to that, no to the switch.
      confirmSeam.answer = (r) => ({ ok: r.title.startsWith('Allow the commands') });
      const declined = await client.callTool({ name: 'switch_traffic', arguments: { requireApproval: false } });
      assert.equal(declined.isError, true);
      const allowAsked = confirmSeam.asked.slice(asked).filter((r) => r.title.startsWith('Allow the commands'));
      assert.ok(allowAsked.length <= 1, 'asked to allow the commands more than once');
      const request = confirmSeam.asked.slice(asked).find((r) => !r.title.startsWith('Allow the commands'));
      assert.ok(request, 'the extension was not asked');
      const version = (slot: 'blue' | 'green') => `v${model.snapshot!.apps[0].slots[slot].version}`;
      assert.equal(request.title, `Switch traffic from ${live.toUpperCase()} (${version(live)}) to ${to.toUpperCase()} (${version(to)})?`);
      assert.match(request.detail, /Asked by your editor's AI agent \(bluegreen mcp\)/);
      confirmSeam.answer = () => ({ ok: true, via: 'editor dialog' });
      const switched = await client.callTool({ name: 'switch_traffic', arguments: {} }, undefined, { timeout: 90_000 });
      assert.notEqual(switched.isError, true, JSON.stringify(switched.content));
      await vscode.commands.executeCommand('bluegreen.refresh');
      assert.equal(model.snapshot?.apps[0].live, to);
    } finally {
      confirmSeam.answer = undefined;
      await client.close();
    }
  });

  it('the language-model tools and the MCP server definition are registered; the switch tool reaches the same confirmation as the command', async function () {
    this.timeout(60_000);
    const { model, confirmSeam, outputLines } = await api();
    const lm = (vscode as unknown as { lm: { tools: readonly { name: string }[]; invokeTool(name: string, options: { input: object; toolInvocationToken: undefined }): Thenable<{ content: { value?: string }[] }> } }).lm;
    const names = lm.tools.map((t) => t.name).filter((n) => n.startsWith('bluegreen_'));
    assert.ok(outputLines.includes("[mcp] bluegreen mcp is offered to VS Code's agent"), outputLines.filter((l) => l.startsWith('[mcp]')).join('\n'));
    assert.deepEqual(names.sort(), ['bluegreen_bump_version', 'bluegreen_deploy_to_staging', 'bluegreen_deploy_to_standby', 'bluegreen_get_deployment_status', 'bluegreen_get_logs', 'bluegreen_promote_to_standby', 'bluegreen_rollback', 'bluegreen_switch_traffic', 'bluegreen_sync_standby']);
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = model.snapshot!.apps[0].live!;
    const asked = confirmSeam.asked.length;
    confirmSeam.answer = (r) => ({ ok: r.title.startsWith('Allow the commands') });
    try {
      const result = await lm.invokeTool('bluegreen_switch_traffic', { input: { requireApproval: false }, toolInvocationToken: undefined });
      assert.match(result.content.map((p) => p.value ?? '').join(''), /not confirmed; nothing was changed/);
      const switchAsked = confirmSeam.asked.slice(asked).find((r) => !r.title.startsWith('Allow the commands'));
      assert.match(switchAsked?.title ?? '', new RegExp(`^Switch traffic from ${live.toUpperCase()} `));
      const status = await lm.invokeTool('bluegreen_get_deployment_status', { input: {}, toolInvocationToken: undefined });
      assert.match(status.content.map((p) => p.value ?? '').join(''), new RegExp(`^demo: LIVE is ${live.toUpperCase()} v`));
    } finally {
      confirmSeam.answer = undefined;
    }
    await vscode.commands.executeCommand('bluegreen.refresh');
    assert.equal(model.snapshot?.apps[0].live, live);
  });
  it("adds bluegreen mcp to Windsurf's MCP servers after showing the entry, keeping the other servers and a backup", async () => {
    const { model, confirmSeam } = await api();
    const file = process.env.BLUEGREEN_WINDSURF_MCP_CONFIG;
    assert.ok(file, 'BLUEGREEN_WINDSURF_MCP_CONFIG is not set for the extension host');
    const before = JSON.stringify({ mcpServers: { github: { command: 'gh-mcp', args: ['serve'] } }, note: 'mine' }, null, 4);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, before);
    const asked = confirmSeam.asked.length;
    confirmSeam.answer = () => ({ ok: false });
    try {
      assert.equal(await vscode.commands.executeCommand('bluegreen.addToWindsurf'), false);
      assert.equal(readFileSync(file, 'utf8'), before, 'the file changed without a yes');
      assert.match(confirmSeam.asked[asked].detail, /"bluegreen": \{\n\s+"command": /);
      confirmSeam.answer = () => ({ ok: true });
      assert.equal(await vscode.commands.executeCommand('bluegreen.addToWindsurf'), true);
    } finally {
      confirmSeam.answer = undefined;
    }
    const after = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Record<string, { args: string[] }>; note: string };
    assert.deepEqual(Object.keys(after.mcpServers), ['github', 'bluegreen']);
    assert.equal(after.note, 'mine');
    assert.deepEqual(after.mcpServers.bluegreen.args.slice(1), ['mcp', '--config', model.config!.file]);
    assert.equal(readFileSync(`${file}.bluegreen-backup`, 'utf8'), before);
  });

  it('adds /bump, /release, /sync and /staging-first as prompt files after a short modal that lists their paths, opens each for review, and never overwrites one the person changed', async () => {
    const { confirmSeam } = await api();
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const prompts = path.join(folder, '.github', 'prompts');
    mkdirSync(prompts, { recursive: true });
    writeFileSync(path.join(prompts, 'release.prompt.md'), 'my own release steps\n');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const asked = confirmSeam.asked.length;
    confirmSeam.answer = () => ({ ok: true });
    try {
      assert.equal(await vscode.commands.executeCommand('bluegreen.addChatWorkflows'), true);
      // The lab's app has a staging: /staging-first comes with the others.
      assert.equal(confirmSeam.asked[asked].title, 'Add /bump, /sync, /staging-first to this workspace? They will open for review.');
      assert.equal(confirmSeam.asked[asked].detail, '.github/prompts/bump.prompt.md\n.github/prompts/sync.prompt.md\n.github/prompts/staging-first.prompt.md\nKept as they are (changed by you): .github/prompts/release.prompt.md');
      const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputText ? path.relative(folder, t.input.uri.fsPath) : t.label));
      assert.deepEqual(open.sort(), ['.github/prompts/bump.prompt.md', '.github/prompts/staging-first.prompt.md', '.github/prompts/sync.prompt.md']);
      assert.ok(vscode.window.tabGroups.all.flatMap((g) => g.tabs).every((t) => !t.isPreview), 'a workflow opened in a preview tab, which the next file replaces');
    } finally {
      confirmSeam.answer = undefined;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    assert.match(readFileSync(path.join(prompts, 'sync.prompt.md'), 'utf8'), /#bluegreen_sync_standby/);
    assert.match(readFileSync(path.join(prompts, 'bump.prompt.md'), 'utf8'), /#bluegreen_bump_version/);
    assert.equal(readFileSync(path.join(prompts, 'release.prompt.md'), 'utf8'), 'my own release steps\n');
  });
  it("Show Logs on STANDBY's row follows its log in a channel of its own (a line printed after it started, its secret redacted) until stopped; Open Terminal runs the person's ssh with the alias", async function () {
    this.timeout(60_000);
    const { tree, logLines, logs, model } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    await until('a snapshot', () => model.snapshot);
    const [appNode] = tree.getChildren();
    const standby = tree.getChildren(appNode).find((n) => String(tree.getTreeItem(n).contextValue).startsWith('slot:standby'))!;
    const slot = model.snapshot!.apps[0].standby!;
    const SLOT = slot.toUpperCase();
    const green = model.config!.apps[0].slots[slot].servers[0];
    const following = vscode.commands.executeCommand('bluegreen.showLogs', standby);
    const channel = `Blue-Green Logs: demo ${SLOT} (STANDBY) ${green.name}`;
    await until('the log channel following', () => logLines.get(channel)?.[0]?.startsWith(`Following ${SLOT} (STANDBY)`));
    // Once the remote tails run, a line the app prints arrives; until then, ask again.
    const marker = `editor-logs-${Date.now()}`;
    for (let i = 0; i < 100 && !logLines.get(channel)?.some((l) => l.includes(marker)); i++) {
      await fetch(`${green.url}/say?line=${encodeURIComponent(`${marker} password=hunter2-editor`)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const mine = logLines.get(channel)!.find((l) => l.includes(marker))!;
    assert.match(mine, new RegExp(`^${SLOT} ${green.name} \\| ${marker} password=`));
    assert.ok(!logLines.get(channel)!.some((l) => l.includes('hunter2-editor')), 'the secret was shown');
    // Show Logs again brings the same channel forward: it is not read twice.
    await vscode.commands.executeCommand('bluegreen.showLogs', standby);
    assert.equal(logLines.get(channel)!.filter((l) => l.startsWith('Following')).length, 1);
    logs.stop(channel);
    await following;
    assert.equal(logLines.get(channel)!.at(-1), `— stopped following ${SLOT} (STANDBY) ${green.name}.`);

    const terminal = (await vscode.commands.executeCommand('bluegreen.openTerminal', standby)) as vscode.Terminal;
    try {
      assert.equal(terminal.name, `${SLOT} (STANDBY) ${green.name}`);
      const options = terminal.creationOptions as vscode.TerminalOptions;
      assert.equal(options.shellPath, 'ssh');
      assert.deepEqual(options.shellArgs, [...(model.config!.ssh.config ? ['-F', model.config!.ssh.config] : []), '--', green.ssh]);
      assert.ok(vscode.window.terminals.includes(terminal));
    } finally {
      terminal.dispose();
    }
  });

  it('Restart STANDBY from its row asks first, restarts it, and the history shows it; Restart LIVE… asks for the name typed and a reason', async function () {
    this.timeout(90_000);
    const { tree, model, confirmSeam, outputLines } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    await until('a snapshot', () => model.snapshot);
    const [appNode] = tree.getChildren();
    const rowOf = (prefix: string) => tree.getChildren(appNode).find((n) => String(tree.getTreeItem(n).contextValue).startsWith(prefix))!;
    const asked = confirmSeam.asked.length;
    try {
      // LIVE: the dialog asks for the name typed and a reason; cancelled, nothing restarts.
      confirmSeam.answer = () => ({ ok: false });
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.restartLive', rowOf('slot:live')), false);
      assert.deepEqual([confirmSeam.asked[asked].typeToConfirm, confirmSeam.asked[asked].askReason], [model.snapshot!.apps[0].live!.toUpperCase(), true]);
      confirmSeam.answer = () => ({ ok: true });
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.restartStandby', rowOf('slot:standby')), true, outputLines.slice(-15).join('\n'));
      assert.equal(confirmSeam.asked[asked + 1].action, 'Restart STANDBY');
    } finally {
      confirmSeam.answer = undefined;
    }
    await vscode.commands.executeCommand('bluegreen.refresh');
    const history = tree.getChildren(tree.getChildren()[0]).find((n) => tree.getTreeItem(n).label === 'History')!;
    const latest = tree.getTreeItem(tree.getChildren(history)[0]);
    assert.equal(latest.label, `Restart ${model.snapshot!.apps[0].standby!.toUpperCase()} (STANDBY)`);
    assert.match(String(latest.description), /traffic untouched/);
  });
});
