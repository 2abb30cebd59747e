// The weight figures: the extension's bundle and activation, and the MCP server's start.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../lab/codeServer';
import { loadWithStandIn } from '../lab/vscodeStandIn';
import { median, ms as f } from './load';
import { mcpInitializeMs } from './mcp';

type Say = (line?: string) => void;

/** `bluegreen mcp`: how soon an editor can list its tools. Returns the median. */
export async function agentBench(say: Say, configFile: string): Promise<number> {
  say('## Agent access (`bluegreen mcp`)');
  say();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(await mcpInitializeMs(PROJECT_ROOT, configFile));
  say('| | measured | target |');
  say('|---|---|---|');
  say(`| start → answer to \`initialize\` (median of 5; the SDK's client over stdio) | ${f(median(runs))} | < 300 ms |`);
  say(`| dist/mcp.js (minified; loaded only by \`bluegreen mcp\`) | ${(statSync(path.join(PROJECT_ROOT, 'dist', 'mcp.js')).size / 1024).toFixed(0)} KB | not in the extension's bundle |`);
  say();
  return median(runs);
}

/** The extension's bundle, the VSIX, and what activate() costs. */
export function weightBench(say: Say): { bundleKb: number; activationMs: number } {
  say('## Extension weight');
  say();
  const bundle = statSync(path.join(PROJECT_ROOT, 'dist', 'extension.js')).size;
  let vsix = NaN;
  try {
    vsix = statSync(path.join(PROJECT_ROOT, 'blue-green.vsix')).size;
  } catch {
    // not packaged in this run
  }
  // The production bundle, loaded with a stand-in for the editor's API: what activate() itself costs.
  const loadStarted = performance.now();
  const extension = loadWithStandIn(path.join(PROJECT_ROOT, 'dist', 'extension.js'));
  const loadMs = performance.now() - loadStarted;
  const activateStarted = performance.now();
  extension.activate({ extensionMode: 1, subscriptions: [] });
  const firstMs = performance.now() - activateStarted;
  const again = Array.from({ length: 20 }, () => {
    const started = performance.now();
    extension.activate({ extensionMode: 1, subscriptions: [] });
    return performance.now() - started;
  });
  const activation = `${f(firstMs)} the first time, ${f(median(again))} after (stand-in editor API; loading the bundle before it took ${f(loadMs)}); no SSH login before the view is shown (extension-host suite)`;
  say('| | measured | target |');
  say('|---|---|---|');
  say(`| dist/extension.js (minified) | ${(bundle / 1024).toFixed(0)} KB | < 600 KB |`);
  say(`| blue-green.vsix | ${Number.isFinite(vsix) ? `${(vsix / 1024).toFixed(0)} KB` : 'not built'} | < 1 MB |`);
  say(`| activate() | ${activation} | < 50 ms, no network before the view is visible |`);
  say();
  return { bundleKb: bundle / 1024, activationMs: firstMs };
}
