/**
 * The slash commands people typed with the tool this replaces (/bump, /release, /sync), and
 * /staging-first for the way through staging, as the editor in use keeps them: Windsurf workflows, Cursor commands, VS Code prompt files. Each tells
 * the agent to use the Blue-Green tools and to report as the old workflows did.
 */
export type ChatEditor = 'windsurf' | 'cursor' | 'vscode';

export interface ChatWorkflowFile {
  /** Relative to the workspace folder. */
  path: string;
  text: string;
}

interface Workflow {
  name: 'bump' | 'release' | 'sync' | 'staging-first';
  description: string;
  steps: (tool: (name: string) => string) => string[];
}

const WORKFLOWS: Workflow[] = [
  {
    name: 'bump',
    description: 'Bump the version, tag it and deploy it to STANDBY (Blue-Green)',
    steps: (t) => [
      'Ask which level to bump (patch, minor or major) unless I said it.',
      `Call ${t('get_deployment_status')} and report which slot is LIVE and which is STANDBY, with their versions.`,
      `Call ${t('bump_version')} with that level. I approve it in my editor; you cannot approve it for me.`,
      "Report the new version and tag, and STANDBY's state as the tool reports it. Remind me that traffic moves only with /release.",
    ],
  },
  {
    name: 'release',
    description: 'Switch traffic to STANDBY after checking it (Blue-Green)',
    steps: (t) => [
      `Call ${t('get_deployment_status')} and report LIVE and STANDBY: slot, version, commit and health of each.`,
      `If STANDBY is not healthy, call ${t('get_logs')} (slot standby) and tell me why from its log, quoting the lines that show it; suggest nothing before you have read them, and stop. If STANDBY does not run a newer version than LIVE, say so and ask me whether to go on.`,
      `Call ${t('switch_traffic')}. Do not use emergency unless I ask for it and give the reason. I approve the switch in my editor; you cannot approve it for me, and requireApproval changes nothing. If a gate refuses the switch, call ${t('get_logs')} (slot standby, since 15m) and tell me what the log shows before suggesting anything.`,
      'Report the outcome as the tool states it ("LIVE is …"), and that the old LIVE stays warm as STANDBY for a rollback.',
    ],
  },
  {
    name: 'sync',
    description: "Bring STANDBY to LIVE's exact commit and verify both match (Blue-Green)",
    steps: (t) => [
      `Call ${t('get_deployment_status')} and identify LIVE and STANDBY with their versions and commits.`,
      'If both already run the same commit and version, report both and stop.',
      `Call ${t('sync_standby')}: it deploys LIVE's commit to STANDBY and checks both match. LIVE is not touched.`,
      `Call ${t('get_deployment_status')} again, verify both slots report the same version and commit, and report both slots.`,
    ],
  },
  {
    name: 'staging-first',
    description: 'Take develop through staging to STANDBY, then release it (Blue-Green)',
    steps: (t) => [
      `Call ${t('get_deployment_status')} and report staging (its version, commit and whether it passed), STANDBY and LIVE.`,
      `Call ${t('deploy_to_staging')}: it deploys staging's branch tip there and runs its health and smoke tests. Production is not touched. If it fails, report the failed step and why, and stop.`,
      `Call ${t('promote_to_standby')}: it deploys to STANDBY exactly the commit staging passed. I approve it in my editor; you cannot approve it for me. If STANDBY is not healthy afterwards, report why and stop.`,
      `Ask me whether to release. Only if I say yes, call ${t('switch_traffic')} (never emergency unless I ask and give the reason); I approve the switch in my editor.`,
      'Report each stage as the tools state it: staging passed (version, commit), STANDBY runs it, and LIVE after the switch, with the old LIVE warm as STANDBY for a rollback.',
    ],
  },
];

function body(w: Workflow, tool: (name: string) => string): string {
  return w.steps(tool).map((s, i) => `${i + 1}. ${s}`).join('\n');
}

/** `withStaging`: an app has a staging, so /staging-first has tools to call. */
export function chatWorkflowFiles(editor: ChatEditor, withStaging = false): ChatWorkflowFile[] {
  return WORKFLOWS.filter((w) => withStaging || w.name !== 'staging-first').map((w) => {
    switch (editor) {
      case 'windsurf':
        return { path: `.windsurf/workflows/${w.name}.md`, text: `---\ndescription: ${w.description}\n---\n\n${body(w, (n) => `the Blue-Green tool \`${n}\``)}\n` };
      case 'cursor':
        return { path: `.cursor/commands/${w.name}.md`, text: `# ${w.description}\n\n${body(w, (n) => `the Blue-Green MCP tool \`${n}\``)}\n` };
      case 'vscode':
        return { path: `.github/prompts/${w.name}.prompt.md`, text: `---\nmode: agent\ndescription: ${w.description}\n---\n\n${body(w, (n) => `#bluegreen_${n}`)}\n` };
    }
  });
}
