import { AppConfig } from '../config/types';

/**
 * What several apps on one load balancer would each ask it in one refresh (its files, the
 * stats socket's counters, the master CLI's processes): asked once, the answer shared. A new
 * one per refresh, knowing the apps refreshed together.
 */
export class OncePerRefresh {
  private readonly asked = new Map<string, Promise<unknown>>();

  constructor(readonly apps: readonly AppConfig[] = []) {}

  once<T>(key: string, ask: () => Promise<T>): Promise<T> {
    let answer = this.asked.get(key) as Promise<T> | undefined;
    if (!answer) this.asked.set(key, (answer = ask()));
    return answer;
  }
}
