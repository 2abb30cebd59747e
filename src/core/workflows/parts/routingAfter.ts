import { appViaEach } from '../../config/appVia';
import { lbHost } from '../../config/hostRefs';
import { errorMessage } from '../../errors';
import { findRouting } from '../../haproxy/config';
import { shQuote } from '../../shell';
import { AppSnapshot } from '../../status/snapshot';
import { OperationContext, WorkflowError } from './operation';

/**
 * Each LB's routing read again after an operation that switches nothing (a deploy, a sync, their
 * hooks): how it differs from what was read before, or undefined when every LB routes the app
 * to the backend it did. "LIVE is unchanged" is said only then.
 */
export async function routingChange(ctx: OperationContext, before: AppSnapshot): Promise<{ changed: string[]; unread: string[] }> {
  const changes: string[] = [];
  const unread: string[] = [];
  for (const [i, via] of appViaEach(ctx.app).entries()) {
    const lb = via.loadBalancer;
    const was = before.lbs[i];
    try {
      const r = await ctx.runner.run(lbHost(via), `cat -- ${shQuote(lb.config)}`, { lane: 'probe', timeoutMs: 15000 });
      if (r.code !== 0) throw new Error(r.stderr.trim() || `exit ${r.code}`);
      const routing = findRouting(r.stdout, lb.frontend, lb.acl);
      if (routing.backend !== was?.backend) changes.push(`on ${lb.ssh}, line ${routing.line + 1} of ${lb.config} now routes frontend "${lb.frontend}" to ${routing.backend} (before: ${was?.backend ?? 'unknown'})`);
    } catch (e) {
      unread.push(`on ${lb.ssh}, the routing cannot be read again (${errorMessage(e)}), so whether LIVE changed is not known`);
    }
  }
  return { changed: changes, unread };
}

/** Throws when the routing changed during `operation`, which asked for no switch; `failure`: the operation's own error, if it failed too. */
export async function refuseUnaskedSwitch(ctx: OperationContext, before: AppSnapshot, operation: string, failure?: unknown): Promise<void> {
  const { changed, unread } = await routingChange(ctx, before);
  // A failed operation keeps its own error unless a change is seen: an LB that cannot be read then is most likely the failure itself.
  const said = failure ? changed : [...changed, ...unread];
  if (!said.length) return;
  const change = said.join('; ');
  const also = failure ? ` The ${operation.toLowerCase()} itself failed too: ${errorMessage(failure)}` : '';
  throw new WorkflowError('routing-changed', `${operation}: the routing changed`, undefined, `nothing here switched traffic, yet ${change}`, `LIVE may not be what it was: look at the load balancer's config and at bluegreen.yaml's hooks and commands, then run the status.${also}`, [], { cause: failure });
}
