import { randomUUID } from 'node:crypto';
import { Config } from '../config/types';
import { errorMessage } from '../errors';
import { ConfirmPort, ConfirmRequest } from '../plan/confirm';
import { redact } from '../redact';
import { allowedFor, commandsDiff, commandsHash, commandsText, recordAllowed } from './allowedCommands';

/** What a person is asked before an agent's call runs commands from bluegreen.yaml they have not allowed as written. */
export function allowRequest(config: Config, text = commandsText(config)): ConfirmRequest {
  const allowed = allowedFor(config.file);
  const shown = allowed ? `Changed since they were last allowed (${allowed.at}):\n${commandsDiff(allowed.text, text).join('\n')}` : `The commands, and the hosts they run on:\n${text}`;
  return {
    title: allowed ? `The commands in ${config.file} changed: allow them?` : `Allow the commands in ${config.file}?`,
    detail: redact(`${shown}\n\nThey run over SSH with your keys when Blue-Green deploys, syncs, switches or reloads. Once allowed, your editor's AI agent may have them run; any change to them asks again. Your own commands (tree, palette, terminal) never ask.`),
    action: 'Allow Commands',
    binding: { id: randomUUID(), app: config.apps.map((a) => a.name).join(', '), kind: 'allow commands', configSha256: commandsHash(text) },
  };
}

/**
 * An agent's tool call runs commands taken from bluegreen.yaml only as a person allowed them:
 * the first time, and after any change, the person is asked (with the changed lines); without
 * a person it is refused. Undefined: go ahead; else the refusal, naming what changed.
 */
export async function commandsAllowedForAgent(config: Config, approval: ConfirmPort): Promise<string | undefined> {
  const text = commandsText(config);
  const allowed = allowedFor(config.file);
  if (allowed?.sha256 === commandsHash(text)) return undefined;
  const what = allowed ? `changed since a person last allowed them:\n${commandsDiff(allowed.text, text).join('\n')}` : 'were never allowed by a person for this file';
  const refusal = (why: string) => redact(`Nothing was run: the commands in ${config.file} ${what}\n${why} A person allows them in the editor's dialog when asked, or with \`bluegreen allow\` in a terminal.`);
  try {
    const answer = await approval.confirm(allowRequest(config, text));
    if (!answer.ok) return refusal('The person did not allow them.');
  } catch (e) {
    return refusal(errorMessage(e));
  }
  recordAllowed(config.file, text);
  return undefined;
}
