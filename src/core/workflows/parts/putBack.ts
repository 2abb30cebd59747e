import { SlotName } from '../../config/types';
import { AppSnapshot } from '../../status/snapshot';
import { WorkflowError } from './operation';
import { restorePreviousConfig } from './replaceConfig';
import type { LbSwitch } from './lbLocks';

/**
 * The load balancers a change made one after another (a switch, a canary rule) has changed so
 * far, and putting them back, last first, to the config each had: a pair never stays half changed.
 */
export class PutBack {
  private readonly changed: LbSwitch[] = [];

  constructor(
    private readonly several: boolean,
    private readonly before: AppSnapshot,
    /** The slot traffic goes back to. */
    private readonly back: SlotName,
    /** What the output says when a restore fails, for the LB it names. */
    private readonly ifRestoreFails: (host: string) => string,
  ) {}

  add(s: LbSwitch): void {
    this.changed.push(s);
  }

  includes(s: LbSwitch): boolean {
    return this.changed.includes(s);
  }

  /** Restores every LB changed so far; what each says about itself. */
  async undo(): Promise<string> {
    const said: string[] = [];
    for (const s of this.changed.splice(0).reverse()) {
      const host = s.ctx.app.loadBalancer.ssh;
      const back = await restorePreviousConfig(s.ctx, this.before, this.back, `Restore the previous HAProxy config${this.several ? ` on ${host}` : ''}`, this.ifRestoreFails(host));
      said.push(this.several ? `${host}: ${back}` : back);
    }
    return said.join(' ');
  }

  /**
   * A later LB's change failed (its own step restored it): the earlier ones are put back and the
   * error says so. Anything else, or a failure on the first, is rethrown as it is.
   */
  async rethrow(e: unknown, verb: string): Promise<never> {
    if (!(e instanceof WorkflowError) || !this.changed.length) throw e;
    throw new WorkflowError(e.reason, e.step, e.host, e.detail, `${e.stateNow} The load balancers ${verb} before it were put back: ${await this.undo()}`, e.lastLines, { cause: e });
  }
}
