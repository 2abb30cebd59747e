import { fromHost, HOST_TEXT_LIMITS } from '../hostText';

/** One thing `bluegreen doctor` found on a host beside haproxy.cfg, with why and what to do. */
export interface SetupFinding {
  id: 'unreachable' | 'checkout-missing' | 'not-git' | 'remote-missing' | 'remote-unreachable' | 'branch-missing' | 'not-writable' | 'command-missing' | 'pm2-process-missing' | 'state-folder' | 'sudo-password' | 'validate-fails';
  severity: 'error' | 'warning' | 'info';
  /** Which host, as the output names it: "GREEN lab-green", "load balancer lab-lb". */
  where: string;
  title: string;
  why: string;
  byHand?: string;
  /** `doctor --fix` makes this folder (the state file's: this tool's own). */
  makeFolder?: string;
}

/** host-check.sh's and lb-check.sh's "key value" lines; each value as the host wrote it. */
export function parseFacts(output: string): Map<string, string[]> {
  const facts = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const at = line.indexOf(' ');
    const key = at < 0 ? line : line.slice(0, at);
    if (!/^[a-z-]+$/.test(key)) continue;
    facts.set(key, [...(facts.get(key) ?? []), at < 0 ? '' : line.slice(at + 1)]);
  }
  return facts;
}

const shown = (text: string) => fromHost(text, HOST_TEXT_LIMITS.detail);

/** The lines that load nvm for every shell, the tool's included (nvm's own, from its README). */
export const NVM_LINES = 'export NVM_DIR="$HOME/.nvm"; [ -s "$NVM_DIR/nvm.sh" ] && . "$NVM_DIR/nvm.sh"';

export interface ServerExpectations {
  where: string;
  dir: string;
  remote: string;
  branch: string;
  pm2: string;
  /** The commands a deploy runs there (the first word of each configured step, node, git). */
  commands: string[];
  /** pm2's process names there, when pm2 was found. */
  pm2Names?: string[];
}

/** What a slot's server lacks for a deploy, from host-check.sh's answer. */
export function serverFindings(facts: Map<string, string[]>, e: ServerExpectations): SetupFinding[] {
  const one = (key: string) => facts.get(key)?.[0];
  const found: SetupFinding[] = [];
  const add = (f: Omit<SetupFinding, 'where'>) => found.push({ where: e.where, ...f });
  if (one('dir') === 'no') {
    add({ id: 'checkout-missing', severity: 'error', title: `no checkout at ${e.dir}`, why: `${e.dir} does not exist there; a deploy checks the commit out in it`, byHand: `clone the app's repository there (git clone REPOSITORY ${e.dir}) and start it under pm2 as ${e.pm2}, or correct dir: in bluegreen.yaml` });
  } else if (one('git') === 'no') {
    add({ id: 'not-git', severity: 'error', title: `${e.dir} is not a git checkout`, why: 'a deploy fetches and checks out commits there with git', byHand: `clone the app's repository into ${e.dir}, or point dir: at the checkout` });
  } else {
    if (one('writable') === 'no') add({ id: 'not-writable', severity: 'error', title: `cannot write ${e.dir}`, why: 'the user the tool connects as cannot write the checkout (or its .git), where a deploy checks out', byHand: `make that user own it: chown -R USER ${e.dir} (as root)` });
    const remote = one('remote');
    if (remote === 'none') add({ id: 'remote-missing', severity: 'error', title: `no git remote "${e.remote}"`, why: `the checkout has no remote named ${e.remote}, which a deploy fetches from`, byHand: `git -C ${e.dir} remote add ${e.remote} URL, or set deploy.remote to the checkout's remote` });
    const unreachable = one('unreachable');
    if (unreachable !== undefined) add({ id: 'remote-unreachable', severity: 'error', title: `cannot reach ${e.remote}`, why: `git ls-remote ${e.remote} (${shown(remote ?? '?')}) failed from there without a prompt: ${shown(unreachable)}`, byHand: "give that user a key the remote accepts and its host key in known_hosts: a deploy's fetch cannot answer a prompt" });
    if (one('branch') === 'no') add({ id: 'branch-missing', severity: 'error', title: `no branch ${e.branch} on ${e.remote}`, why: `${e.remote} has no branch ${e.branch}, the one deploy.branch names`, byHand: `push it, or set deploy.branch` });
  }
  for (const line of facts.get('tool') ?? []) {
    const [command, at] = splitOnce(line);
    if (at) continue;
    add({ id: 'command-missing', severity: 'error', title: `"${command}" not found`, ...whyNotFound(command, facts) });
  }
  if (e.pm2Names && !e.pm2Names.includes(e.pm2)) {
    add({ id: 'pm2-process-missing', severity: 'error', title: `no pm2 process "${e.pm2}"`, why: `pm2 runs ${e.pm2Names.length ? e.pm2Names.map((n) => shown(n)).join(', ') : 'no process'} there, and a deploy restarts ${e.pm2}`, byHand: `set pm2: to the app's process in bluegreen.yaml, or start it once under that name (cd ${e.dir} && pm2 start npm --name ${e.pm2} -- start && pm2 save)` });
  }
  return found;
}

/** Why a command a deploy runs is not on the tool's PATH, and the line that puts it there. */
function whyNotFound(command: string, facts: Map<string, string[]>): { why: string; byHand: string } {
  const one = (key: string) => facts.get(key)?.[0];
  const path = shown(one('path') ?? '');
  const shell = one('shell') ?? '';
  const [guard, loads] = (one('bashrc') ?? '0 0').split(' ').map(Number);
  const base = `the shell every deploy step runs in (an ssh command's, not a login's) does not find it on its PATH (${path})`;
  if (/bash$/.test(shell) && one('nvm') === 'yes' && loads > guard && guard > 0) {
    return {
      why: `${base}: nvm is loaded by ~/.bashrc at line ${loads}, after line ${guard}, which ends ~/.bashrc for a shell that is not interactive; a terminal's shell finds ${command}, the tool's does not`,
      byHand: `add this line to ~/.bashrc above line ${guard}: ${NVM_LINES}`,
    };
  }
  const elsewhere = facts.get('npm-at')?.[0];
  if (elsewhere) {
    const dir = shown(elsewhere.replace(/\/npm$/, ''));
    const line = `export PATH="${dir}:$PATH"`;
    if (/bash$/.test(shell)) return { why: `${base}; an npm is installed in ${dir}, outside it`, byHand: `add this line at the top of ~/.bashrc${guard > 0 ? ` (above line ${guard})` : ''}: ${line}` };
    if (/zsh$/.test(shell)) return { why: `${base}; an npm is installed in ${dir}, outside it`, byHand: `add this line to ~/.zshenv (read by every zsh): ${line}` };
    return { why: `${base}; an npm is installed in ${dir}, outside it, and the login shell (${shown(shell) || 'sh'}) reads no file for an ssh command`, byHand: `install ${command} for every shell (a system package, or a link in /usr/local/bin), or name it with its full path in bluegreen.yaml's deploy commands` };
  }
  return { why: base, byHand: `install ${command} there for the user the tool connects as${command === 'pm2' ? ' (npm install -g pm2)' : ''}` };
}

export interface LoadBalancerExpectations {
  where: string;
  stateFolder: string;
  validate: string;
}

/** What the load balancer's user lacks beside haproxy.cfg, from lb-check.sh's answer. */
export function loadBalancerFindings(facts: Map<string, string[]>, e: LoadBalancerExpectations): SetupFinding[] {
  const found: SetupFinding[] = [];
  const add = (f: Omit<SetupFinding, 'where'>) => found.push({ where: e.where, ...f });
  const user = shown(facts.get('user')?.[0] ?? 'its user');
  const [state, existing] = splitOnce(facts.get('state-folder')?.[0] ?? '');
  if (state === 'creatable') add({ id: 'state-folder', severity: 'info', title: `${e.stateFolder} does not exist yet`, why: 'the first operation makes it (its lock is the first file there)', byHand: 'doctor --fix makes it now', makeFolder: e.stateFolder });
  if (state === 'blocked') add({ id: 'state-folder', severity: 'error', title: `cannot write ${e.stateFolder}`, why: `${user} cannot write it${existing && existing !== e.stateFolder ? ` or make it (${shown(existing)} is not writable)` : ''}; the state file and the app's lock go there`, byHand: `as root: install -d -o ${user} ${e.stateFolder}, or choose a stateFile ${user} can write` });
  for (const line of facts.get('sudo') ?? []) {
    const [verdict, rest] = splitOnce(line);
    if (verdict !== 'asks') continue;
    const [sudo, said] = splitOnce(rest ?? '');
    add({ id: 'sudo-password', severity: 'error', title: `${shown(sudo)} asks for a password`, why: `${shown(sudo)} -n true failed (${shown(said ?? '')}): the reload or validate would wait for a password nobody can type`, byHand: `allow ${user} the reload and validate commands without a password (a sudoers rule with NOPASSWD)` });
  }
  const [verdict, said] = splitOnce(facts.get('validate')?.[0] ?? '');
  if (verdict === 'fails') add({ id: 'validate-fails', severity: 'error', title: 'the validate command fails', why: `${e.validate} failed on the config as it is: ${shown(said ?? '')}; every switch validates the new config with it first`, byHand: `run it there as ${user} to see why, and correct loadBalancer.validate` });
  return found;
}

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf(' ');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The commands a deploy runs on a server: node and git, and the first word of each configured step. */
export function deployCommands(steps: (string | undefined)[]): string[] {
  const words = steps.flatMap((step) => {
    const first = (step ?? '').trim().split(/\s+/).find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    return first && /^[A-Za-z0-9_./+-]+$/.test(first) && !first.includes('{') ? [first] : [];
  });
  return [...new Set(['git', 'node', ...words])];
}
