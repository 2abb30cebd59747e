import { access, constants } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ParsedArgs, UsageError } from '../bin/args';
import { CONFIG_FILE_NAME } from '../core/config/fileName';
import { sshAliases } from '../core/config/scaffold';
import { createSshRunner } from '../core/config/sshRunner';
import { writeNewConfig } from '../core/config/writeNewConfig';
import { BlueGreenError } from '../core/errors';
import { redact } from '../core/redact';
import { printOut, writeErr } from '../core/stdio';
import { initConfig } from '../core/workflows/init';
import { terminalChooser } from './choose';
import { cliPrompts } from './prompts';

/** `bluegreen init [LB]`: a bluegreen.yaml read from the load balancer and the slot hosts, written where none is. */
export async function initCommand(args: ParsedArgs): Promise<number> {
  const [given, ...extra] = args.positionals;
  if (extra.length) throw new UsageError(`init takes one load balancer, not "${extra.join(' ')}"`);
  const haproxyConfig = args.values['haproxy-config'];
  if (haproxyConfig !== undefined && !/^\/[A-Za-z0-9_./@+-]*$/.test(haproxyConfig)) throw new UsageError(`--haproxy-config takes the absolute path of the file on the load balancer, not "${haproxyConfig}"`);
  const file = path.resolve(args.values.config ?? CONFIG_FILE_NAME);
  // Before connecting anywhere: what would refuse the file at the end.
  if (await access(file).then(() => true, () => false)) throw new BlueGreenError('refused', `${file} already exists; nothing was written. Move it away, or write elsewhere (--config FILE)`);
  await access(path.dirname(file), constants.W_OK).catch(() => {
    throw new BlueGreenError('refused', `cannot write in ${path.dirname(file)}: choose another place (--config FILE)`);
  });

  const sshConfig = args.values['ssh-config'] ? path.resolve(args.values['ssh-config']) : undefined;
  const chooser = terminalChooser();
  const lb = given ?? (await pickLoadBalancer(sshConfig ?? path.join(os.homedir(), '.ssh', 'config'), chooser));
  const runner = createSshRunner({ config: sshConfig }, cliPrompts(args.values['accept-host-key'] ?? []));
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  try {
    const r = await initConfig(runner, chooser, { lb, sshConfig, app: args.values.app, haproxyConfig, file, signal: controller.signal, progress: (line) => writeErr(redact(`${line}\n`)) });
    await writeNewConfig(file, r.yaml);
    printOut(redact([`${file}: written for ${r.app}; nothing on any host was changed.`, ...r.summary.map((s) => `  ${s}`), 'Next: bluegreen status, then bluegreen doctor.'].join('\n')));
    return 0;
  } finally {
    runner.dispose();
  }
}

async function pickLoadBalancer(sshConfig: string, chooser: ReturnType<typeof terminalChooser>): Promise<string> {
  const aliases = await sshAliases(sshConfig).catch(() => [] as string[]);
  if (!aliases.length) throw new UsageError(`init needs the load balancer: bluegreen init LB (an alias from ${sshConfig}, or user@host)`);
  // The likely load balancers first.
  const ordered = [...aliases.filter((a) => /haproxy|proxy|lb/i.test(a)), ...aliases.filter((a) => !/haproxy|proxy|lb/i.test(a))];
  return chooser.pick(`Which host runs HAProxy? (aliases from ${sshConfig})`, ordered.map((a) => ({ label: a, value: a })), 'bluegreen init LB');
}
