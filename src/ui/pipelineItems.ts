import * as vscode from 'vscode';
import { Pipeline, PipelineStage } from '../core/status/pipeline';
import { AppSnapshot, slotLabel } from '../core/status/snapshot';
import { colour, localTime } from './treeItems';

/* The way to production as tree rows: staging's verdict → STANDBY → LIVE, and a row for each. */

const VERDICT_ICON: Record<Pipeline['verdict'], [string, string | undefined]> = {
  passed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  never: ['circle-outline', undefined],
  unknown: ['warning', 'list.warningForeground'],
};

function verdictIcon(pipeline: Pipeline): vscode.ThemeIcon {
  const [icon, tint] = VERDICT_ICON[pipeline.verdict];
  return new vscode.ThemeIcon(icon, tint ? colour(tint) : undefined);
}

/** What staging's record says of its last deploy, for a tooltip: who, when, and why it failed. */
function stagingTooltip(app: AppSnapshot): vscode.MarkdownString {
  const staging = app.staging!;
  const last = staging.last;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**Staging** of ${app.name} (${staging.host}, follows \`${staging.branch}\`)\n\n`);
  const rows: [string, string | undefined][] = last
    ? [
        ['Commit', last.commit],
        ['Asked for', last.ref],
        ['Outcome', last.passed ? 'passed' : `FAILED${last.failedStep ? ` at "${last.failedStep}"` : ''}`],
        ['Why', last.detail],
        ['Smoke tests', last.smoke?.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}`).join(', ')],
        ['When', localTime(last.at)],
        ['Who', last.who],
      ]
    : [['Record', staging.error ?? (staging.status === 'never-deployed' ? 'no deploy recorded yet' : staging.status)]];
  for (const [k, v] of rows) if (v) md.appendMarkdown(`- ${k}: ${v.replace(/[`*_[\]<>]/g, ' ')}\n`);
  return md;
}

export function pipelineItem(app: AppSnapshot, pipeline: Pipeline): vscode.TreeItem {
  const item = new vscode.TreeItem(pipeline.title, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `pipeline:${app.name}`;
  item.description = pipeline.detail;
  item.iconPath = verdictIcon(pipeline);
  const tooltip = stagingTooltip(app);
  tooltip.appendMarkdown(`\n${pipeline.summary}`);
  item.tooltip = tooltip;
  item.contextValue = `pipeline:${pipeline.verdict}`;
  item.accessibilityInformation = { label: `Staging ${pipeline.summary.replace(/→/g, 'then')}` };
  return item;
}

export function stageItem(app: AppSnapshot, pipeline: Pipeline, stage: PipelineStage): vscode.TreeItem {
  const item = new vscode.TreeItem(stage.title, vscode.TreeItemCollapsibleState.None);
  item.id = `stage:${app.name}:${stage.stage}`;
  item.description = stage.detail;
  const slot = stage.slot;
  item.iconPath = stage.stage === 'staging' ? verdictIcon(pipeline) : stage.stage === 'following' ? new vscode.ThemeIcon('eye') : new vscode.ThemeIcon(stage.stage === 'live' ? 'broadcast' : 'debug-pause', slot ? colour(slot === 'blue' ? 'charts.blue' : 'charts.green') : undefined);
  item.tooltip =
    stage.stage === 'staging'
      ? stagingTooltip(app)
      : stage.stage === 'following'
        ? `While this window is open, it deploys each new tip of ${app.staging?.branch ?? 'the branch'} to staging (bluegreen.staging.follow), one deploy at a time; a tip that failed there is not retried.`
        : [`${stage.title}${slot ? ` · ${slotLabel(slot)}` : ''}`, stage.commit, stage.detail].filter(Boolean).join(' · ');
  item.accessibilityInformation = { label: [stage.title, stage.detail].filter(Boolean).join(' ') };
  // Staging's own row carries its commands; the slots' are on their rows above.
  if (stage.stage === 'staging') item.contextValue = `pipeline:${pipeline.verdict}`;
  return item;
}
