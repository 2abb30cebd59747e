// The files the lab writes: HAProxy's config and the bluegreen.yaml that points at the lab.
import * as path from 'node:path';
import type { LabInfo } from './lab';

export const APP_PORT = 3001;
export const FRONTEND_PORT = 8080;
export const SHARED_FRONTEND_PORT = 8081;

export function haproxyConfig(info: LabInfo): string {
  const { lb, blue, green } = info.hosts;
  return [
    'global',
    `    stats socket ${info.adminSocket} mode 600 level admin`,
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
    `    bind ${lb.address}:${FRONTEND_PORT}`,
    '    default_backend demo_blue',
    '',
    '# One frontend shared by several apps, routed by Host header (the other shape in use).',
    'frontend shared',
    `    bind ${lb.address}:${SHARED_FRONTEND_PORT}`,
    // hdr_beg: the Host header carries the port ("demo.lab:8081").
    '    acl is_demo hdr_beg(host) -i demo.lab',
    '    acl is_other hdr_beg(host) -i other.lab',
    '    use_backend other_app if is_other',
    '    use_backend demo_blue if is_demo',
    '    default_backend other_app',
    '',
    'backend demo_blue',
    '    option httpchk GET /api/health',
    `    server blue ${blue.address}:${APP_PORT} check`,
    '',
    'backend demo_green',
    '    option httpchk GET /api/health',
    `    server green ${green.address}:${APP_PORT} check`,
    '',
    'backend other_app',
    '    http-request return status 200 content-type text/plain string "other app"',
    '',
  ].join('\n');
}

export function labConfigYaml(info: LabInfo, shape: 'default' | 'shared' = 'default'): string {
  const frontend = shape === 'shared' ? 'shared\n      acl: is_demo' : 'demo';
  // The shared frontend tells apps apart by Host, so the public url names the app and the
  // LB host reaches the frontend at its own address.
  const urls = shape === 'shared' ? `url: http://demo.lab:${SHARED_FRONTEND_PORT}\n    loadBalancer:\n      frontendUrl: ${info.sharedFrontendUrl}` : `url: ${info.frontendUrl}\n    loadBalancer:`;
  const slot = (name: 'blue' | 'green') => `      ${name}:
        ssh: lab-${name}
        backend: demo_${name}
        url: http://${info.hosts[name].address}:${APP_PORT}
        dir: ${path.join(info.hosts[name].home, 'app')}
        pm2: demo-${name}`;
  return `# Written by \`npm run lab -- up\`: the lab's app, ready to use.
version: 1
ssh:
  config: ${info.sshConfig}
apps:
  - name: demo
    ${urls}
      ssh: lab-lb
      config: ${info.haproxyConfig}
      frontend: ${frontend}
      reload: ${info.reloadCommand}
      stateFile: ${info.stateFile}
      statsSocket: ${info.adminSocket}
      masterSocket: ${info.masterSocket}
    slots:
${slot('blue')}
${slot('green')}
    health:
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
