// The files the lab writes: HAProxy's config and the bluegreen.yaml that points at the lab.
import * as path from 'node:path';
import type { LabInfo } from './lab';
import { LabApp, LabLoadBalancer, pm2Name, SlotColour, STAGING_HOST } from './topology';

export const APP_PORT = 3001;
export const FRONTEND_PORT = 8080;
export const SHARED_FRONTEND_PORT = 8081;
/** The webhook receiver's, on the first host's address (`up --staging`). */
export const WEBHOOK_PORT = 8090;

/**
 * The backend of an app's slot as the shared frontend routes it. A one-app lab is routed by its
 * own frontend (bluegreen.yaml) and by the shared one (bluegreen.shared.yaml), each through
 * backends of its own on the same servers: one app routed to the same backend by two frontends
 * is a split a switch of one would not move (the reader refuses it), not a lab.
 */
export function sharedBackend(info: LabInfo, app: LabApp, slot: SlotColour): string {
  return info.apps.length === 1 ? `${app.name}_shared_${slot}` : `${app.name}_${slot}`;
}

/** One LB's HAProxy config: the first app on its own frontend (one-app labs) and, with the others, on the shared one. */
export function haproxyConfig(info: LabInfo, lb: LabLoadBalancer): string {
  const address = info.hosts[lb.host].address;
  const [first, ...others] = info.apps;
  const single = info.apps.length === 1;
  const backend = (app: LabApp, slot: SlotColour, name = `${app.name}_${slot}`) => [
    `backend ${name}`,
    '    option httpchk GET /api/health',
    // The first server keeps the slot's name (the tests read `blue`, `green` in show stat).
    ...app.slots[slot].map((host, k) => `    server ${k === 0 && app === first ? slot : host} ${info.hosts[host].address}:${APP_PORT} check`),
    '',
  ];
  return [
    'global',
    `    stats socket ${lb.adminSocket} mode 600 level admin`,
    '    stats timeout 30s',
    // Old workers holding a long-lived connection are stopped this long after a reload.
    '    hard-stop-after 1m',
    '',
    'defaults',
    '    mode http',
    '    timeout connect 2s',
    '    timeout client 30s',
    '    timeout server 30s',
    '    option idle-close-on-response',
    '    default-server inter 1s fall 2 rise 2',
    '',
    'frontend demo',
    `    bind ${address}:${FRONTEND_PORT}`,
    `    default_backend ${single ? 'demo_blue' : 'other_app'}`,
    '',
    '# One frontend shared by several apps, routed by Host header (the other shape in use).',
    'frontend shared',
    `    bind ${address}:${SHARED_FRONTEND_PORT}`,
    // hdr_beg: the Host header carries the port ("demo.lab:8081").
    '    acl is_demo hdr_beg(host) -i demo.lab',
    '    acl is_other hdr_beg(host) -i other.lab',
    // The Host header without its port, compared whole: app2.lab is not app20.lab.
    ...others.map((app) => `    acl ${app.acl} req.hdr(host),field(1,:) -m str -i ${app.hostHeader}`),
    '    use_backend other_app if is_other',
    `    use_backend ${sharedBackend(info, first, 'blue')} if is_demo`,
    ...others.map((app) => `    use_backend ${app.name}_blue if ${app.acl}`),
    '    default_backend other_app',
    '',
    ...info.apps.flatMap((app) => [...backend(app, 'blue'), ...backend(app, 'green')]),
    ...(single ? [...backend(first, 'blue', sharedBackend(info, first, 'blue')), ...backend(first, 'green', sharedBackend(info, first, 'green'))] : []),
    'backend other_app',
    '    http-request return status 200 content-type text/plain string "other app"',
    '',
  ].join('\n');
}

/**
 * The lab's bluegreen.yaml. One app: on its own frontend (`default`) or the shared one
 * (`shared`). Several apps: all on the shared frontend, each by its ACL.
 */
export function labConfigYaml(info: LabInfo, shape: 'default' | 'shared' = 'default'): string {
  const shared = shape === 'shared' || info.apps.length > 1;
  const apps = info.apps.map((app) => appYaml(info, app, shared)).join('');
  return `# Written by \`npm run lab -- up\`: the lab's ${info.apps.length > 1 ? 'apps' : 'app'}, ready to use.
version: 1
ssh:
  config: ${info.sshConfig}
${info.webhooks ? `# Releases, rollbacks and staging results are posted to the lab's webhook receiver (${info.webhooks.log}).\nnotify:\n  - url: ${info.webhooks.url}/ok\n` : ''}apps:
${apps}`;
}

/** The first app's staging (`up --staging`): its own host, outside the load balancers, following develop. */
function stagingYaml(info: LabInfo, app: LabApp): string {
  const h = info.hosts[STAGING_HOST];
  return `    staging:
      ssh: lab-${STAGING_HOST}
      url: http://${h.address}:${APP_PORT}
      dir: ${path.join(h.home, 'app')}
      pm2: ${app.name}-staging
      branch: develop
`;
}

function appYaml(info: LabInfo, app: LabApp, shared: boolean): string {
  const frontend = shared ? `shared\n      acl: ${app.acl}` : 'demo';
  const lbFields = (lb: LabLoadBalancer, i: number, indent: string) =>
    [
      `ssh: lab-${lb.host}`,
      `config: ${lb.haproxyConfig}`,
      `frontend: ${frontend.replace('\n      ', `\n${indent}`)}`,
      `reload: ${lb.reloadCommand}`,
      `stateFile: ${app.stateFiles[i]}`,
      `statsSocket: ${lb.adminSocket}`,
      `masterSocket: ${lb.masterSocket}`,
    ].map((line) => `${indent}${line}`);
  // The shared frontend tells apps apart by Host, so the public url names the app and the
  // LB host reaches the frontend at its own address.
  const url = shared ? `http://${app.hostHeader}:${SHARED_FRONTEND_PORT}` : info.frontendUrl;
  let lbs: string;
  if (info.loadBalancers.length === 1) {
    lbs = ['    loadBalancer:', ...(shared ? [`      frontendUrl: ${info.sharedFrontendUrl}`] : []), ...lbFields(info.loadBalancers[0], 0, '      ')].join('\n');
  } else {
    // Behind a floating address each LB is checked at its own: every entry names its frontendUrl.
    lbs = ['    loadBalancers:', ...info.loadBalancers.flatMap((lb, i) => {
      const [head, ...rest] = lbFields(lb, i, '        ');
      return [`      - ${head.trimStart()}`, ...rest, `        frontendUrl: ${shared ? lb.sharedFrontendUrl : lb.frontendUrl}`];
    })].join('\n');
  }
  const slot = (colour: SlotColour) => {
    const [firstHost] = app.slots[colour];
    const backendName = shared ? sharedBackend(info, app, colour) : `${app.name}_${colour}`;
    const common = `      ${colour}:\n        backend: ${backendName}`;
    if (app.slots[colour].length === 1) {
      return `      ${colour}:
        ssh: lab-${firstHost}
        backend: ${backendName}
        url: http://${info.hosts[firstHost].address}:${APP_PORT}
        dir: ${path.join(info.hosts[firstHost].home, 'app')}
        pm2: ${pm2Name(app.name, colour)}`;
    }
    const servers = app.slots[colour].map((host) => `          - name: ${host}\n            ssh: lab-${host}\n            url: http://${info.hosts[host].address}:${APP_PORT}\n            dir: ${path.join(info.hosts[host].home, 'app')}`);
    return `${common}\n        pm2: ${pm2Name(app.name, colour)}\n        servers:\n${servers.join('\n')}`;
  };
  return `  - name: ${app.name}
    url: ${url}
${lbs}
    slots:
${slot('blue')}
${slot('green')}
${app === info.apps[0] && info.topology.staging ? stagingYaml(info, app) : ''}    health:
      path: /api/health
      timeoutMs: 2000
      attempts: 20
      intervalMs: 250
    release:
      watchSeconds: 2
    deploy:
      branch: main
      install: npm ci --no-audit --no-fund
      build: npm run build
      restart: pm2 restart {pm2} --update-env
`;
}
