import { AppConfig, LoadBalancerConfig } from './types';

/**
 * The app as if this were its only load balancer: every single-LB step (read the files, lock,
 * switch, verify, record, reconcile) works on `loadBalancer`, so a pair is that, once per LB.
 */
export function appVia(app: AppConfig, lb: LoadBalancerConfig): AppConfig {
  return app.loadBalancers.length === 1 ? app : { ...app, loadBalancer: lb, loadBalancers: [lb] };
}

/** The app through each of its load balancers, in config order (the order locks are taken in). */
export function appViaEach(app: AppConfig): AppConfig[] {
  return app.loadBalancers.map((lb) => appVia(app, lb));
}
