import { Document, isNode } from 'yaml';

export type SlotName = 'blue' | 'green';

export interface InitServer {
  /** The backend's server name: kept when a slot has several servers. */
  name: string;
  ssh: string;
  url: string;
  dir: string;
}

/** What `bluegreen init` read and the person picked: one app, ready to write. */
export interface InitAnswers {
  /** The ssh_config the aliases come from, when it is not ~/.ssh/config. */
  sshConfig?: string;
  name: string;
  healthPath?: string;
  loadBalancer: { ssh: string; config: string; frontend: string; acl?: string; reload: string; stateFile: string; statsSocket?: string; masterSocket?: string };
  slots: Record<SlotName, { backend: string; pm2: string; servers: InitServer[] }>;
  /** The file's opening comment lines. */
  header: string[];
  /** A comment after a value the person should check: its key path in the file, and why. */
  notes: { path: (string | number)[]; text: string }[];
}

/** The minimal bluegreen.yaml of one app: what was read and picked, and nothing the defaults give. */
export function initYaml(a: InitAnswers): string {
  const slot = (s: SlotName) => {
    const { backend, pm2, servers } = a.slots[s];
    if (servers.length === 1) {
      const [only] = servers;
      return { ssh: only.ssh, backend, url: only.url, dir: only.dir, pm2 };
    }
    return { backend, pm2, servers: servers.map((v) => ({ name: v.name, ssh: v.ssh, url: v.url, dir: v.dir })) };
  };
  const lb = a.loadBalancer;
  const app = {
    name: a.name,
    loadBalancer: {
      ssh: lb.ssh,
      config: lb.config,
      frontend: lb.frontend,
      ...(lb.acl ? { acl: lb.acl } : {}),
      reload: lb.reload,
      stateFile: lb.stateFile,
      ...(lb.statsSocket ? { statsSocket: lb.statsSocket } : {}),
      ...(lb.masterSocket ? { masterSocket: lb.masterSocket } : {}),
    },
    slots: { blue: slot('blue'), green: slot('green') },
    ...(a.healthPath ? { health: { path: a.healthPath } } : {}),
  };
  const doc = new Document({ version: 1, ...(a.sshConfig ? { ssh: { config: a.sshConfig } } : {}), apps: [app] });
  doc.commentBefore = a.header.map((line) => ` ${line}`).join('\n');
  for (const note of a.notes) {
    const node = doc.getIn(['apps', 0, ...note.path], true);
    if (isNode(node)) node.comment = ` ${note.text}`;
  }
  return doc.toString({ lineWidth: 0 });
}
