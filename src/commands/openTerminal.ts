import * as vscode from 'vscode';
import { redact } from '../core/redact';
import { sshTerminalArgs } from '../core/ssh/terminalCommand';
import { Deps } from '../ui/deps';
import { appFor, targetOf } from '../ui/operations';
import { nodeHost } from '../ui/nodeHosts';
import { pickHostRow } from '../ui/pickHost';
import { pick, showInfo, sshTerminal } from '../ui/sinks';

/**
 * Open Terminal on Host: a terminal running the person's own `ssh` to the row's host (a slot of
 * several servers asks which), titled with the host and the slot's role. Nothing else runs in it,
 * not even a host's `via` (the person is told so): no lock, no record; what they type is theirs.
 */
export async function openTerminal(deps: Deps, arg?: unknown): Promise<vscode.Terminal | undefined> {
  const app = await appFor(deps, targetOf(arg));
  if (!app) return undefined;
  const row = nodeHost(app, arg) ?? (await pickHostRow(deps.model, app, 'Open Terminal on Host'));
  if (!row) return undefined;
  const chosen = row.hosts.length === 1 ? row.hosts[0] : (await pick(row.hosts.map((h) => ({ label: redact(h.name), description: redact(h.host.ssh), h })), { title: redact(`Blue-Green: a terminal on which server of ${row.title}?`) }))?.h;
  if (!chosen) return undefined;
  const name = row.hosts.length === 1 ? row.title : `${row.title} ${chosen.name}`;
  const terminal = sshTerminal(redact(name.replace(/^the load balancer/, 'Load balancer')), sshTerminalArgs(chosen.host, deps.model.config?.ssh.config));
  terminal.show();
  // Nothing but ssh runs in it: a host reached through a wrapper opens on the machine outside it, and says so.
  if (chosen.host.via) void showInfo(redact(`Blue-Green: this terminal is on ${chosen.host.ssh} itself. Blue-Green's commands run there through "${chosen.host.via}"; type it to reach what they reach.`));
  return terminal;
}
