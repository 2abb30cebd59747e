// `npm run test:e2e`: Playwright drives the real VS Code UI (code-server, the packaged
// .vsix installed) against the lab, and writes a screenshot at each stage.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Page } from 'playwright-core';
import { labDown, labUp, labWorkspace, readLabInfo } from '../../lab/lab';
import { DEFAULT_TOPOLOGY } from '../../lab/topology';
import { launchChromiumFor, PROJECT_ROOT, startCodeServer } from '../../lab/codeServer';

const SHOTS = process.env.BLUEGREEN_SCREENSHOTS ?? path.join(PROJECT_ROOT, 'out', 'screenshots');

/** `npm run test:e2e -- --readme` also refreshes the README's screenshot from `readmeShot`. */
const README_SHOT = process.argv.includes('--readme') ? path.join(PROJECT_ROOT, 'docs', 'screenshot.png') : undefined;

async function shot(page: Page, name: string, readmeShot = false): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  console.log(`  screenshot ${path.join(SHOTS, `${name}.png`)}`);
  if (readmeShot && README_SHOT) await page.screenshot({ path: README_SHOT });
}

/** The width the issue asks the tree to be readable at: a narrow, common sidebar. */
const SIDEBAR_PX = 300;

/** Drags the sidebar's edge until it is `px` wide (VS Code keeps no setting for its width). */
async function sidebarTo(page: Page, px: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  assert.ok(box, 'no sidebar');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + px, y, { steps: 10 });
  await page.mouse.up();
  const now = (await page.locator('.part.sidebar').boundingBox())?.width ?? 0;
  assert.ok(Math.abs(now - px) <= 4, `the sidebar is ${now} px wide, not ${px}`);
}

/** The Blue-Green view's rows whose label or description the sidebar cuts (an ellipsis). */
async function cutRows(page: Page): Promise<string[]> {
  // A focused row shows its inline actions over its end; as a person reads the tree, the focus is elsewhere.
  await page.mouse.click(640, 120);
  await page.mouse.move(640, 120);
  await page.waitForTimeout(200);
  return page.locator('.part.sidebar .monaco-list-row').evaluateAll((rows) =>
    rows
      .filter((row) => [...row.querySelectorAll('.monaco-icon-label-container, .monaco-icon-name-container, .label-description')].some((e) => e.scrollWidth > e.clientWidth + 1))
      .map((row) => row.getAttribute('aria-label') ?? row.textContent ?? ''),
  );
}

/** Requests through the frontend from `n` clients with addresses of their own (any 127.x.y.z is this machine's). */
async function clientsThrough(url: string, n: number): Promise<void> {
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const req = http.get(`${url}/`, { localAddress: `127.88.${Math.floor(i / 250)}.${(i % 250) + 1}`, agent: false, timeout: 5000 }, (res) => res.resume().on('end', resolve));
      req.on('error', () => resolve());
    });
  for (let i = 0; i < n; i += 50) await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, k) => one(i + k)));
}

async function step(name: string, body: () => Promise<void>): Promise<void> {
  const started = Date.now();
  await body();
  console.log(`  ✔ ${name} (${Date.now() - started}ms)`);
}

async function main(): Promise<number> {
  const vsix = path.join(PROJECT_ROOT, 'blue-green.vsix');
  assert.ok(existsSync(vsix), `${vsix} is missing: run npm run package first`);
  const labDir = process.env.BLUEGREEN_LAB_DIR ?? path.join(os.tmpdir(), 'bluegreen-lab-test');
  const labWasUp = readLabInfo(labDir) !== undefined;
  // With a staging host: the Staging row, its deploy and the Promote notification are part of the tour.
  const lab = await labUp(labDir, undefined, { ...DEFAULT_TOPOLOGY, staging: true });
  const work = mkdtempSync(path.join(os.tmpdir(), 'bg-e2e-'));
  const folder = labWorkspace(lab, work);
  const server = await startCodeServer({ work, folder, installVsix: vsix, settings: { 'security.workspace.trust.enabled': false, 'workbench.colorTheme': 'Default Dark Modern', 'window.commandCenter': false } });
  const browser = await launchChromiumFor(server);
  let failed = false;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    console.log('UI end-to-end (code-server + packaged extension + lab)');
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
    await step('the workbench loads with the Blue-Green activity bar entry', async () => {
      await page.locator('.activitybar').waitFor({ timeout: 60000 });
      await page.locator('.activitybar [aria-label^="Blue-Green"]').first().waitFor({ timeout: 60000 });
    });
    const command = async (name: string) => {
      await page.keyboard.press('F1');
      const palette = page.locator('.quick-input-widget');
      await palette.waitFor({ timeout: 10000 });
      await page.keyboard.type(name);
      await palette.getByRole('option', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().click();
    };
    const steps = page.locator('.getting-started-step');
    const openWalkthrough = async () => {
      await command('Welcome: Open Walkthrough');
      await page.getByRole('option', { name: /Your first blue-green release/ }).click();
      await steps.filter({ hasText: 'Describe your servers' }).waitFor({ timeout: 30000 });
    };
    const stepDone = (title: string) => steps.filter({ hasText: title }).locator('.codicon-getting-started-step-checked').first().waitFor({ timeout: 10000 });
    await step('the walkthrough: its first step is done because bluegreen.yaml exists (its button opens it), its second by opening the view', async () => {
      await openWalkthrough();
      // The steps tick from state (context keys), a few seconds after activation at the latest.
      const first = steps.filter({ hasText: 'Describe your servers' });
      await first.click();
      await first.getByRole('button', { name: 'Create bluegreen.yaml' }).click();
      await page.getByRole('tab', { name: /bluegreen\.yaml/ }).waitFor({ timeout: 30000 });
      await page.locator('.tab', { hasText: 'Walkthrough' }).click();
      await stepDone('Describe your servers');
      const second = steps.filter({ hasText: 'See which slot is LIVE' });
      await second.click();
      await second.getByRole('button', { name: 'Open the Blue-Green view' }).click();
      await stepDone('See which slot is LIVE');
      await page.locator('.tab', { hasText: 'bluegreen.yaml' }).locator('.codicon-close').click();
      await page.locator('.tab', { hasText: 'Walkthrough' }).locator('.codicon-close').click();
    });
    await step('the view shows BLUE LIVE and GREEN STANDBY with versions', async () => {
      // The walkthrough's button opened it already; a click on its activity bar entry would close it.
      const blueLive = page.getByRole('treeitem', { name: /LIVE v1\.1\.0 · BLUE/ });
      const shown = await page.locator('.activitybar .action-item.checked [aria-label^="Blue-Green"]').count();
      if (!shown) await page.locator('.activitybar [aria-label^="Blue-Green"]').first().click();
      await blueLive.waitFor({ timeout: 30000 });
      await page.getByRole('treeitem', { name: /STANDBY v1\.1\.0 · GREEN/ }).waitFor({ timeout: 30000 });
    });
    await step('at a 300 px sidebar, every row of the view shows its description whole', async () => {
      await sidebarTo(page, SIDEBAR_PX);
      await page.waitForTimeout(300);
      const cut = await cutRows(page);
      assert.deepEqual(cut, [], `rows cut at ${SIDEBAR_PX} px: ${cut.join(' | ')}`);
    });
    await step('the badge says LIVE: BLUE v1.1.0', async () => {
      await page.locator('.statusbar').getByText('LIVE: BLUE v1.1.0').waitFor({ timeout: 30000 });
    });
    await step('the load balancer expands to routing, last switch and switch count', async () => {
      await page.getByRole('treeitem', { name: /Load balancer/ }).click();
      await page.getByRole('treeitem', { name: /Routing/ }).waitFor({ timeout: 10000 });
      await page.getByRole('treeitem', { name: /Switch count/ }).waitFor({ timeout: 10000 });
    });
    await shot(page, '01-status');

    const slot = (name: RegExp) => page.getByRole('treeitem', { name });
    // VS Code ignores a click that lands right after a context menu opens; hover, then Enter.
    const chooseMenuItem = async (label: string) => {
      const item = page.getByRole('menuitem', { name: label, exact: true });
      await item.hover();
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
    };
    const dialog = page.locator('.monaco-dialog-box');
    await step('Deploy to Staging from the Staging row: develop (v1.3.0) passes there, the notification offers Promote to STANDBY, the row says it is to promote', async () => {
      await page.getByRole('treeitem', { name: /^Staging never deployed then STANDBY/ }).click({ button: 'right' });
      await chooseMenuItem('Staging: Deploy Its Branch Tip');
      await dialog.getByText(/^Deploy develop \(v1\.3\.0, [0-9a-f]{7}\) to staging\?$/).waitFor({ timeout: 30000 });
      await dialog.getByRole('button', { name: 'Deploy to Staging' }).click();
      const passed = page.locator('.notifications-toasts').filter({ hasText: /Staging runs v1\.3\.0 [0-9a-f]{7} \(develop\): passed/ });
      await passed.first().waitFor({ timeout: 120000 });
      await passed.getByRole('button', { name: 'Promote to STANDBY' }).first().waitFor({ timeout: 10000 });
      const row = page.getByRole('treeitem', { name: /^Staging v1\.3\.0 passed then STANDBY/ });
      await row.waitFor({ timeout: 30000 });
      await row.click();
      for (const stage of [/^Staging v1\.3\.0 passed · [0-9a-f]{7}$/, /^STANDBY v1\.1\.0 another commit$/, /^LIVE v1\.1\.0 another commit$/]) await page.getByRole('treeitem', { name: stage }).waitFor({ timeout: 10000 });
      await page.getByRole('treeitem', { name: /^Switch count/ }).click();
      const cut = await cutRows(page);
      assert.deepEqual(cut, [], `rows cut at ${SIDEBAR_PX} px with the pipeline open: ${cut.join(' | ')}`);
    });
    await shot(page, '01-staging-pipeline');
    await step('the Staging row collapses again', async () => {
      await page.getByRole('treeitem', { name: /^Staging v1\.3\.0 passed then STANDBY/ }).click();
      await page.getByRole('treeitem', { name: /^STANDBY v1\.1\.0 another commit$/ }).waitFor({ state: 'detached', timeout: 10000 });
    });
    await step('Deploy from the STANDBY slot\'s context menu asks in a modal dialog', async () => {
      await slot(/STANDBY v1\.1\.0 · GREEN/).click({ button: 'right' });
      await chooseMenuItem('Deploy to STANDBY');
      await dialog.getByText(/^Deploy origin\/main \(v1\.2\.0, [0-9a-f]{7}\) to GREEN \(STANDBY\)\?$/).waitFor({ timeout: 30000 });
    });
    await shot(page, '02-deploy-dialog');
    await step('the deploy runs, streams into the output channel, and GREEN runs v1.2.0', async () => {
      await dialog.getByRole('button', { name: 'Deploy' }).click();
      // Monaco renders spaces as U+00A0, hence \s in the patterns below.
      const done = page.locator('.notifications-toasts').getByText(/GREEN \(STANDBY\) runs v1\.2\.0/);
      await done.waitFor({ timeout: 120000 });
      await page.locator('.notifications-toasts').getByRole('button', { name: 'Show Output' }).first().click();
      await page.locator('.panel').getByText(/Deploy\sdone\sin/).first().waitFor({ timeout: 30000 });
      await slot(/STANDBY v1\.2\.0 · GREEN/).waitFor({ timeout: 30000 });
    });
    await shot(page, '03-deployed-output');
    await step('Release from the view\'s title bar asks "Switch traffic from BLUE (v1.1.0) to GREEN (v1.2.0)?", with no progress (and its Cancel) left behind the dialog', async () => {
      // Off the STANDBY row first: selected, it shows its inline actions over its commit.
      await page.getByRole('treeitem', { name: /^Switch count/ }).click();
      await page.locator('.part.sidebar').getByRole('button', { name: /^Release: Switch Traffic to STANDBY/ }).click();
      await dialog.getByText('Switch traffic from BLUE (v1.1.0) to GREEN (v1.2.0)?').waitFor({ timeout: 30000 });
      // VS Code keeps a progress notification up for at least 800 ms: it closes while the dialog is open.
      await page.locator('.notifications-toasts').getByText(/Blue-Green: Release \(demo\)/).waitFor({ state: 'hidden', timeout: 3000 });
    });
    await shot(page, '04-release-dialog', true);
    await step('after confirming, the badge and the tree show GREEN LIVE', async () => {
      await dialog.getByRole('button', { name: 'Switch Traffic' }).click();
      await page.locator('.statusbar').getByText('LIVE: GREEN v1.2.0').waitFor({ timeout: 60000 });
      await slot(/LIVE v1\.2\.0 · GREEN/).waitFor({ timeout: 30000 });
      await slot(/STANDBY v1\.1\.0 · BLUE/).waitFor({ timeout: 30000 });
      // The release goes on watching the new LIVE for a while; its result comes at the end.
      await page.locator('.notifications-toasts').getByText(/LIVE is GREEN v1\.2\.0 \(was BLUE\), verified/).waitFor({ timeout: 60000 });
    });
    await shot(page, '05-green-live');
    await step('the history lists the switch with its versions, and offers to roll it back', async () => {
      await page.getByRole('treeitem', { name: /^History/ }).click();
      const entry = page.getByRole('treeitem', { name: /BLUE → GREEN/ }).first();
      await entry.waitFor({ timeout: 30000 });
      await entry.getByText('→ GREEN v1.2.0').waitFor({ timeout: 10000 });
      assert.match(String(await entry.getAttribute('aria-label')), /^BLUE → GREEN, v1\.1\.0 → v1\.2\.0, release, /);
      await entry.hover();
      await entry.getByRole('button', { name: /Rollback/ }).waitFor({ timeout: 10000 });
    });
    await shot(page, '06-history');
    await step('the walkthrough shows the steps done along the way, and its last step (Sync) runs from its button', async () => {
      await openWalkthrough();
      for (const done of ['Describe your servers', 'See which slot is LIVE', 'Deploy to STANDBY', 'Release']) await stepDone(done);
      await steps.filter({ hasText: 'Sync the old LIVE' }).click();
      await steps.filter({ hasText: 'Sync the old LIVE' }).getByRole('button', { name: 'Sync' }).click();
      await dialog.getByText(/^Sync BLUE \(STANDBY\) to LIVE's commit/).waitFor({ timeout: 30000 });
      await dialog.getByRole('button', { name: 'Sync' }).click();
      await page.locator('.notifications-toasts').getByText(/both slots match/).waitFor({ timeout: 120000 });
      await stepDone('Sync the old LIVE');
    });
    await shot(page, '07-walkthrough');
    await step('Canary… from the STANDBY slot sends 10% of the clients to it; the tree shows the share and each slot\'s counts', async () => {
      await slot(/STANDBY v1\.2\.0 · BLUE/).click({ button: 'right' });
      await chooseMenuItem('Canary…');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 10000 });
      await input.fill('10');
      await page.keyboard.press('Enter');
      await dialog.getByText("Send 10% of demo's clients to BLUE (v1.2.0)?").waitFor({ timeout: 30000 });
      await dialog.getByRole('button', { name: 'Start Canary' }).click();
      await page.locator('.notifications-toasts').getByText(/10% of demo's clients go to BLUE v1\.2\.0/).waitFor({ timeout: 60000 });
      await page.getByRole('treeitem', { name: /^Canary 10% → BLUE, sticky by / }).waitFor({ timeout: 30000 });
      await clientsThrough(lab.frontendUrl, 400);
      await page.getByRole('button', { name: 'Refresh Status' }).click();
      await page.getByRole('treeitem', { name: /^STANDBY: [1-9]\d* req · \d+(\.\d+)?% 5xx$/ }).waitFor({ timeout: 30000 });
      await page.getByRole('treeitem', { name: /^LIVE: [1-9]\d* req/ }).waitFor({ timeout: 10000 });      // The STANDBY row, picked from its context menu, is still selected and shows its inline actions over its end.
      await page.getByRole('treeitem', { name: /^Switch count/ }).click();
      const cut = await cutRows(page);
      assert.deepEqual(cut, [], `rows cut at ${SIDEBAR_PX} px during a canary: ${cut.join(' | ')}`);
    });
    await shot(page, '08-canary');
    await step("Show Logs from the LIVE slot's menu follows the app's own log in a channel of its own: a line the app prints shows, redacted; Cancel stops it", async () => {
      // The earlier steps' notifications would cover the channel in the screenshot.
      await command('Notifications: Clear All Notifications');
      await slot(/LIVE v1\.2\.0 · GREEN/).click({ button: 'right' });
      await chooseMenuItem('Show Logs');
      const panel = page.locator('.panel');
      await panel.getByText(/Following\sGREEN\s\(LIVE\)/).first().waitFor({ timeout: 30000 });
      const following = page.locator('.notifications-toasts').filter({ hasText: /following the log of GREEN \(LIVE\)/ });
      await following.first().waitFor({ timeout: 10000 });
      const line = panel.getByText(/e2e-log-line\stoken=\*\*\*/).first();
      for (let i = 0; i < 30 && !(await line.count()); i++) {
        await fetch(`http://${lab.hosts.green.address}:${lab.appPort}/say?line=${encodeURIComponent('e2e-log-line token=ghp_abcdefghijklmnopqrstuvwxyz0123456789')}`);
        await page.waitForTimeout(500);
      }
      await line.waitFor({ timeout: 10000 });
      assert.equal(await panel.getByText(/ghp_abcdefghijklmnopqrstuvwxyz0123456789/).count(), 0, 'the token was shown');
      await shot(page, '09-logs');
      await following.getByRole('button', { name: 'Cancel' }).first().click();
      await panel.getByText(/stopped\sfollowing\sGREEN\s\(LIVE\)/).first().waitFor({ timeout: 30000 });
    });
  } catch (e) {
    failed = true;
    console.error(`  ✗ ${e instanceof Error ? e.message : String(e)}`);
    const page = browser.contexts()[0]?.pages()[0];
    if (page) await shot(page, 'failure');
  } finally {
    await browser.close();
    await server.stop();
    if (!labWasUp && !process.env.BLUEGREEN_LAB_KEEP) await labDown(labDir);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  },
);
