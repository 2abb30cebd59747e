import { versionText } from './describe';
import { ServerSnapshot } from './snapshot';

/**
 * Where a health body's claims about itself contradict the server's checkout: shown as a
 * warning, since then the process that answers may not be the build on disk (not restarted,
 * or not this app), but never used to decide a gate.
 */
export function claimsDisagreement(server: Pick<ServerSnapshot, 'reported' | 'version' | 'commit'>): string | undefined {
  const { reported } = server;
  if (!reported) return undefined;
  const found: string[] = [];
  if (reported.version && server.version && reported.version.replace(/^v/, '') !== server.version.replace(/^v/, '')) {
    found.push(`its health endpoint reports ${versionText(reported.version)}, package.json says ${versionText(server.version)}`);
  }
  const claimed = reported.commit?.toLowerCase();
  if (claimed && server.commit && !(claimed.length >= 7 && server.commit.startsWith(claimed))) {
    found.push(`its health endpoint reports commit ${claimed.slice(0, 12)}, git says ${server.commit.slice(0, 7)}`);
  }
  return found.length ? found.join('; ') : undefined;
}
