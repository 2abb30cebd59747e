// `bluegreen staging`: what staging runs, and where its branch is; with --follow, staging follows it.
import { ParsedArgs, UsageError } from '../bin/args';
import { BlueGreenError, errorMessage } from '../core/errors';
import { redact } from '../core/redact';
import { readStaging } from '../core/status/stagingStatus';
import { printOut } from '../core/stdio';
import { FollowEvent, followStaging, stagingBranchTip } from '../core/workflows/followStaging';
import { OperationContext } from '../core/workflows/parts/operation';
import { stagingText } from './render';

/** What the command uses of commands.ts's CliRun (named here: that table imports this file). */
interface StagingRun {
  args: ParsedArgs;
  operation(): OperationContext;
}

export const INTERVAL_SECONDS = { min: 5, max: 3600, default: 30 } as const;

/** --interval's seconds: whole, within INTERVAL_SECONDS (a faster loop would only load the git server). */
export function intervalSeconds(given: string | undefined): number {
  if (given === undefined) return INTERVAL_SECONDS.default;
  const seconds = /^\d+$/.test(given) ? Number(given) : NaN;
  if (!(seconds >= INTERVAL_SECONDS.min && seconds <= INTERVAL_SECONDS.max)) throw new UsageError(`--interval takes whole seconds from ${INTERVAL_SECONDS.min} to ${INTERVAL_SECONDS.max}, not "${given}"`);
  return seconds;
}

export async function stagingCommand(c: StagingRun): Promise<number> {
  const { follow, once, interval } = c.args.values;
  if ((once || interval !== undefined) && !follow) throw new UsageError(`--${once ? 'once' : 'interval'} goes with --follow`);
  const ctx = c.operation();
  const staging = ctx.app.staging;
  if (!staging) throw new BlueGreenError('refused', `${ctx.app.name} has no staging: in bluegreen.yaml`);
  if (!follow) return showStaging(c);
  const seconds = intervalSeconds(interval);
  const line = eventLine(staging.branch);
  let shown = '';
  const outcome = await followStaging(ctx, {
    intervalMs: seconds * 1000,
    once,
    onEvent(e) {
      const text = line(e);
      // A quiet branch would print the same line every interval; it is said once, until something changes.
      if (text === shown) return;
      shown = text;
      printOut(redact(`${new Date().toISOString()} ${text}`));
    },
  });
  // Ctrl-C is how --follow ends, so it ends with 0; --once says whether its check and deploy went well.
  return outcome.failed ? 1 : 0;
}

/** One line for each event, the commit short, as a log of a CI job or a terminal shows it. */
function eventLine(branch: string): (e: FollowEvent) => string {
  const short = (c: string) => c.slice(0, 7);
  return (e) => {
    switch (e.kind) {
      case 'tip':
        return `${branch} is at ${short(e.commit)}`;
      case 'unchanged':
        return `staging runs ${short(e.commit)}, ${branch}'s tip, and it passed; waiting for ${branch} to move`;
      case 'failed-before':
        return `${short(e.commit)} failed on staging; not tried again until ${branch} moves`;
      case 'deploying':
        return `deploying ${short(e.commit)} to staging`;
      case 'deployed':
        return e.result.summary;
      case 'skipped':
        return `skipped ${e.commits.map(short).join(', ')}: ${branch} moved on to ${short(e.newest)} during the deploy`;
      case 'error':
        return `error: ${e.message}${e.commit ? `; ${short(e.commit)} is not tried again until ${branch} moves` : ''}`;
    }
  };
}

/** Staging's record and where its branch is: whether a follow would deploy. */
async function showStaging(c: StagingRun): Promise<number> {
  const ctx = c.operation();
  const [snapshot, tip] = await Promise.all([readStaging(ctx.runner, ctx.app, ctx.signal), stagingBranchTip(ctx).then((commit) => ({ commit }), (e: unknown) => ({ error: errorMessage(e) }))]);
  const st = snapshot!;
  const lines = [stagingText(st)];
  if ('error' in tip) lines.push(`${st.branch}: its tip cannot be read: ${tip.error}`);
  else {
    const runs = st.last?.commit && tip.commit.startsWith(st.last.commit);
    lines.push(`${st.branch} is at ${tip.commit.slice(0, 7)}: ${runs ? 'staging runs it' : 'staging does not run it yet (bluegreen staging --follow --once deploys it)'}`);
  }
  printOut(redact(lines.join('\n')));
  // Like status: 1 when something needs a look (the last deploy failed, the record or the branch cannot be read).
  return st.status === 'unknown' || st.status === 'unreadable' || st.last?.passed === false || 'error' in tip ? 1 : 0;
}
