// `npm run lab -- up [--dir DIR] [--apps N --servers N --lbs N] [--staging]` / `npm run lab -- down [--dir DIR]`
import { parseArgs } from 'node:util';
import { DEFAULT_LAB_DIR, DEFAULT_SUBNET, labDown, labUp, readLabInfo } from './lab';
import { parseTopology } from './topology';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: 'string', default: DEFAULT_LAB_DIR }, subnet: { type: 'string', default: DEFAULT_SUBNET }, apps: { type: 'string' }, servers: { type: 'string' }, lbs: { type: 'string' }, staging: { type: 'boolean' } },
  });
  const [command] = positionals;
  const { dir, subnet } = values;
  switch (command) {
    case 'up': {
      const info = await labUp(dir, subnet, parseTopology(values));
      const { apps, servers, lbs } = info.topology;
      const shape = (apps > 1 || servers > 1 || lbs > 1 ? ` (${apps} app(s) × 2 slots × ${servers} server(s), ${lbs} load balancer(s))` : '') + (info.topology.staging ? ` with a staging host following develop and a webhook receiver at ${info.webhooks?.url} (/ok, /fail, /hang; recorded in ${info.webhooks?.log})` : '');
      console.error(`lab is up${shape}: frontend ${info.frontendUrl}, ssh hosts ${Object.values(info.hosts).map((h) => h.alias).join(', ')} (ssh -F ${info.sshConfig} lab-blue)`);
      console.log(info.configFile);
      return 0;
    }
    case 'down':
      await labDown(dir);
      console.error('lab is down');
      return 0;
    case 'info': {
      const info = readLabInfo(dir);
      if (!info) throw new Error(`no lab in ${dir}`);
      console.log(JSON.stringify(info, null, 2));
      return 0;
    }
    default:
      console.error('usage: npm run lab -- up|down|info [--dir DIR] [--subnet 127.77.0] [--apps N] [--servers N] [--lbs N] [--staging]');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
