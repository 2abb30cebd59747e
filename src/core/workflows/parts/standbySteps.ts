import { AppConfig, ServerConfig } from '../../config/types';
import { serverHost } from '../../config/hostRefs';
import { eitherSignal } from '../../signals';
import { RunResult } from '../../ssh/runner';
import { HeldLock } from './lock';
import { onServers } from './onServers';
import { OperationContext, remoteStep, throwIfCancelled, WorkflowError } from './operation';

/** How the steps of a deploy run on its servers (STANDBY's, or staging's): each guarded by the lock and Cancel. */
export interface StandbySteps {
  app: AppConfig;
  servers: readonly ServerConfig[];
  stateNow(): string;
  /** Throws when the lock was lost or the person cancelled: checked before every step. */
  guard(): void;
  /** One step on one server, streamed under its name. */
  on(server: ServerConfig, title: string, script: string): Promise<RunResult>;
  /** A step on every server of the slot; with several, side by side (deploy.parallel). */
  everywhere<T>(step: (server: ServerConfig) => Promise<T>): Promise<T[]>;
}

/** `lockHost`: where the lock is held (the LB host, or the staging host), `target` what it keeps others off ("STANDBY"). */
export function standbySteps(ctx: OperationContext, o: { lock?: HeldLock; operation: string; servers: readonly ServerConfig[]; lockHost: { ssh: string; is: string }; target: string; stateNow: () => string }): StandbySteps {
  const { app } = ctx;
  const { lock, stateNow, servers } = o;
  const lockLost = () => new WorkflowError('connection-lost', o.operation, o.lockHost.ssh, `the lock on the ${o.lockHost.is} was lost (connection dropped); the step running then was stopped, so no other operation changes ${o.target} alongside this one`, stateNow());
  const guard = () => {
    if (lock && !lock.held) throw lockLost();
    throwIfCancelled(ctx, stateNow());
  };
  // A lost lock stops the running step as a Cancel would: another operation may now take it.
  const stepCtx = { ...ctx, signal: eitherSignal(ctx.signal, lock?.lost) };
  return {
    app,
    servers,
    stateNow,
    guard,
    async on(server, title, script) {
      guard();
      try {
        return await remoteStep(stepCtx, title, serverHost(server), script, stateNow, { label: server.name });
      } catch (e) {
        if (lock?.lost.aborted) throw lockLost();
        throw e;
      }
    },
    everywhere: (step) => onServers(servers, app.deploy.parallel, step),
  };
}
