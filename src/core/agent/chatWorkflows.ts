/**
 * The slash commands people typed with the tool this replaces (/bump, /release, /sync), as the
 * editor in use keeps them: Windsurf workflows, Cursor commands, VS Code prompt files. Each tells
 * the agent to use the Blue-Green tools and to report as the old workflows did.
 */
export type ChatEditor = 'windsurf' | 'cursor' | 'vscode';

export interface ChatWorkflowFile {
  /** Relative to the workspace folder. */
  path: string;
  text: string;
}

interface Workflow {
  name: 'bump' | 'release' | 'sync';
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
      'If STANDBY is not healthy, stop and tell me why. If STANDBY does not run a newer version than LIVE, say so and ask me whether to go on.',
      `Call ${t('switch_traffic')}. Do not use emergency unless I ask for it and give the reason. I approve the switch in my editor; you cannot approve it for me, and requireApproval changes nothing.`,
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
];

function body(w: Workflow, tool: (name: string) => string): string {
  return w.steps(tool).map((s, i) => `${i + 1}. ${s}`).join('\n');
}

export function chatWorkflowFiles(editor: ChatEditor): ChatWorkflowFile[] {
  return WORKFLOWS.map((w) => {
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
