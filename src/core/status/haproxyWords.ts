/**
 * HAProxy's server states and check codes (`show stat` status and check_status) in the words a
 * person uses; the code itself stays in tooltips for whoever searches HAProxy's manual.
 */
const CHECKS: Record<string, string> = {
  UNK: 'not checked yet',
  INI: 'starting',
  SOCKERR: 'socket error',
  L4OK: 'port open',
  L4TOUT: 'connect timed out',
  L4CON: 'connection refused',
  L6OK: 'TLS handshake ok',
  L6TOUT: 'TLS timed out',
  L6RSP: 'bad TLS answer',
  L7OK: 'checks pass',
  L7OKC: 'checks pass',
  L7TOUT: 'check timed out',
  L7RSP: 'bad answer to the check',
  L7STS: 'check got an error status',
  PROCERR: 'check command failed',
  PROCTOUT: 'check command timed out',
  PROCOK: 'checks pass',
};

/** "L7OK" → "checks pass"; "* L4CON" (a check in progress) → "connection refused"; unknown codes as they are. */
export function checkWords(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const bare = code.replace(/^\*\s*/, '').trim();
  return CHECKS[bare] ?? bare;
}

/** "UP" → "up"; "UP 1/3" → "up, 1 of 3 checks failed"; "DOWN 1/2" → "down, 1 of 2 checks passed"; MAINT, DRAIN, NOLB in words. */
export function serverStateWords(status: string): string {
  const [state, progress] = status.trim().split(/\s+/, 2);
  const [done, of] = (progress ?? '').split('/');
  const counted = (what: string) => (done && of ? `, ${done} of ${of} checks ${what}` : '');
  if (/^UP$/i.test(state)) return `up${counted('failed')}`;
  if (/^DOWN$/i.test(state)) return `down${counted('passed')}`;
  if (/^NOLB$/i.test(state)) return 'up, taking no new traffic';
  if (/^MAINT/i.test(state)) return 'in maintenance';
  if (/^DRAIN$/i.test(state)) return 'draining';
  if (/^no$/i.test(state)) return 'not checked';
  return status.trim();
}
