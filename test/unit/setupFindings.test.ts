import * as assert from 'node:assert/strict';
import { deployCommands, loadBalancerFindings, NVM_LINES, parseFacts, serverFindings } from '../../src/core/status/setupFindings';

const EXPECT = { where: 'GREEN app2', dir: '/srv/shop', remote: 'origin', branch: 'main', pm2: 'shop', commands: ['git', 'node', 'npm', 'pm2'] };
const host = (lines: string[]) => parseFacts(['home /home/deploy', 'path /usr/bin:/bin', ...lines].join('\n'));
const READY = ['dir yes', 'git yes', 'writable yes', 'remote git@example.net:shop.git', 'branch yes', 'tool git /usr/bin/git', 'tool node /usr/bin/node', 'tool npm /usr/bin/npm', 'tool pm2 /usr/bin/pm2'];

describe("doctor's host findings (pure)", () => {
  it('a ready server has none; each missing piece is one finding with its fix', () => {
    assert.deepEqual(serverFindings(host(['shell /bin/bash', ...READY]), { ...EXPECT, pm2Names: ['shop'] }), []);
    const ids = (lines: string[], names?: string[]) => serverFindings(host(lines), { ...EXPECT, pm2Names: names }).map((f) => f.id);
    assert.deepEqual(ids(['dir no']), ['checkout-missing']);
    assert.deepEqual(ids(['dir yes', 'git no']), ['not-git']);
    assert.deepEqual(ids(['dir yes', 'git yes', 'writable no', 'remote none']), ['not-writable', 'remote-missing']);
    assert.deepEqual(ids(['dir yes', 'git yes', 'writable yes', 'remote x', 'unreachable Permission denied (publickey).']), ['remote-unreachable']);
    assert.deepEqual(ids(['dir yes', 'git yes', 'writable yes', 'remote x', 'branch no']), ['branch-missing']);
    assert.deepEqual(ids([...READY], ['other', 'worker']), ['pm2-process-missing']);
  });

  it('a command not found: nvm below the guard gives the nvm lines above the guard; an npm elsewhere gives its folder for bash or zsh; else install it', () => {
    const missing = (lines: string[]) => serverFindings(host(['tool npm', ...lines]), EXPECT).find((f) => f.id === 'command-missing')!;
    const nvm = missing(['shell /bin/bash', 'nvm yes', 'bashrc 6 117']);
    assert.equal(nvm.byHand, `add this line to ~/.bashrc above line 6: ${NVM_LINES}`);
    // nvm loaded above the guard is not the cause: the npm it would find is named instead.
    assert.match(missing(['shell /bin/bash', 'nvm yes', 'bashrc 9 3', 'npm-at /home/deploy/.nvm/versions/node/v20.1.0/bin/npm']).byHand!, /^add this line at the top of ~\/\.bashrc \(above line 9\): export PATH="\/home\/deploy\/\.nvm\/versions\/node\/v20\.1\.0\/bin:\$PATH"$/);
    assert.match(missing(['shell /usr/bin/zsh', 'npm-at /home/deploy/.volta/bin/npm']).byHand!, /^add this line to ~\/\.zshenv .*: export PATH="\/home\/deploy\/\.volta\/bin:\$PATH"$/);
    assert.match(missing(['shell /bin/sh', 'npm-at /opt/node/bin/npm']).byHand!, /^install npm for every shell/);
    assert.equal(missing(['shell /bin/bash']).byHand, 'install npm there for the user the tool connects as');
  });

  it('the load balancer: a folder to make (info, fixable), one that cannot be, a sudo that asks, a validate that fails', () => {
    const e = { where: 'load balancer lb', stateFolder: '/var/lib/bluegreen', validate: 'haproxy -c -f /etc/haproxy/haproxy.cfg' };
    const f = loadBalancerFindings(parseFacts(['state-folder creatable /var/lib', 'user deploy', 'sudo ok /usr/bin/sudo', 'validate ok'].join('\n')), e);
    assert.deepEqual(f.map((x) => [x.id, x.severity, x.makeFolder]), [['state-folder', 'info', '/var/lib/bluegreen']]);
    const bad = loadBalancerFindings(parseFacts(['state-folder blocked /var/lib', 'user deploy', 'sudo asks sudo sudo: a password is required', 'validate fails [ALERT] cannot open /etc/haproxy/haproxy.cfg'].join('\n')), e);
    assert.deepEqual(bad.map((x) => [x.id, x.severity]), [['state-folder', 'error'], ['sudo-password', 'error'], ['validate-fails', 'error']]);
    assert.match(bad[0].byHand!, /install -d -o deploy \/var\/lib\/bluegreen/);
  });

  it("the commands a deploy runs: node, git, and each step's first word (not a variable, not a placeholder)", () => {
    assert.deepEqual(deployCommands(['npm ci', 'NODE_ENV=production npm run build', undefined, 'pm2 restart {pm2}', '{dir}/x']), ['git', 'node', 'npm', 'pm2']);
    assert.deepEqual(deployCommands(['pnpm install --frozen-lockfile', 'yarn build', 'docker compose up -d']), ['git', 'node', 'pnpm', 'yarn', 'docker']);
  });
});
