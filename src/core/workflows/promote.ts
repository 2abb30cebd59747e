import { serverHost } from '../config/hostRefs';
import { StagingEntry, stagingFiles, stagingFromRead, stagingLine, stagingReadScript } from '../state/stagingRecord';
import { deploy, DeployResult } from './deploy';
import { localStep, OperationContext, steady, WorkflowError } from './parts/operation';

const OPERATION = 'Promote to STANDBY';
const NOTHING = 'Nothing was changed.';

export interface PromoteOptions {
  /** A commit staging passed (its id, 7 to 40 hex digits); default: staging's last deploy. */
  commit?: string;
}

/**
 * Deploys to STANDBY exactly the commit staging passed: its last deploy, or the commit named.
 * One that failed there, or never went there, is refused before anything runs; the deploy's own
 * promotion gate then reads the record again, so a failure recorded meanwhile still stops it.
 */
export async function promote(given: OperationContext, o: PromoteOptions = {}): Promise<DeployResult> {
  const ctx = steady(given);
  const { app } = ctx;
  const first = app.staging?.servers[0];
  if (!first) throw new WorkflowError('refused', OPERATION, undefined, `${app.name} has no staging: in bluegreen.yaml, so there is nothing staging passed`, NOTHING);
  if (o.commit !== undefined && !/^[0-9a-f]{7,40}$/i.test(o.commit)) throw new WorkflowError('refused', OPERATION, undefined, `"${o.commit}" is not a commit id (7 to 40 hex digits); promote takes a commit staging passed`, NOTHING);
  const history = await localStep(ctx, 'Read the staging record', async () => {
    const r = await ctx.runner.run(serverHost(first), stagingReadScript(stagingFiles(first.dir, app.name).record), { signal: ctx.signal, timeoutMs: 20000, lane: 'probe' });
    const read = stagingFromRead(r.code, r.stdout);
    if (read.kind === 'unreadable') throw new WorkflowError('refused', OPERATION, first.name, `staging's record cannot be read (${read.error})`, NOTHING);
    return read.kind === 'ok' ? read.record.history : [];
  });
  const entry = pick(history, o.commit?.toLowerCase());
  return deploy(ctx, { ref: entry.commit!, operation: OPERATION, shown: `what staging passed` });
}

/** The entry to promote: the last deploy, or the newest for the commit named; refused unless it passed. */
function pick(history: readonly StagingEntry[], commit?: string): StagingEntry {
  const lastPassed = history.find((e) => e.passed && e.commit);
  const hint = lastPassed ? `; the last commit that passed is ${lastPassed.commit!.slice(0, 7)} (bluegreen promote --ref ${lastPassed.commit!.slice(0, 7)})` : '';
  if (!history.length) throw new WorkflowError('refused', OPERATION, undefined, 'staging has no deploy recorded: deploy to staging first (bluegreen deploy --to staging)', NOTHING);
  const matching = commit === undefined ? history.slice(0, 1) : history.filter((e) => e.commit?.startsWith(commit));
  if (new Set(matching.map((e) => e.commit)).size > 1) throw new WorkflowError('refused', OPERATION, undefined, `${commit} names more than one commit staging ran; give more of its digits`, NOTHING);
  const [entry] = matching;
  if (!entry) throw new WorkflowError('refused', OPERATION, undefined, `${commit} was never deployed to staging${hint}`, NOTHING);
  if (!entry.passed || !entry.commit) throw new WorkflowError('refused', OPERATION, undefined, `staging's ${commit === undefined ? 'last deploy' : 'newest deploy of it'} did not pass: ${stagingLine(entry)}${entry.detail ? ` (${entry.detail})` : ''}${hint}`, NOTHING, [], { gate: 'staging-passed' });
  return entry;
}
