import { readSshConfigText } from '../ssh/sshConfig';

/** Concrete Host aliases (no wildcards) from an ssh_config, in file order. */
export async function sshAliases(configFile: string): Promise<string[]> {
  const text = readSshConfigText(configFile);
  const aliases: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*host\s+(.+)$/i.exec(line);
    if (!m) continue;
    for (const name of m[1].trim().split(/\s+/)) if (!/[*?!]/.test(name) && !aliases.includes(name)) aliases.push(name);
  }
  return aliases;
}

/**
 * A starting bluegreen.yaml that names the person's own hosts where it can guess them
 * (an alias containing "lb"/"haproxy"/"proxy" for the load balancer, the next two for
 * the slots) and says in comments what to fill in. Both slots on one host get their own
 * checkout and port, so the file is valid as written.
 */
export function scaffoldYaml(aliases: readonly string[], appName = 'my-app'): string {
  const lb = aliases.find((a) => /haproxy|proxy|lb/i.test(a)) ?? aliases[0] ?? 'haproxy';
  const rest = aliases.filter((a) => a !== lb);
  const [blue, green] = [rest[0] ?? 'blue-host', rest[1] ?? rest[0] ?? 'green-host'];
  return `# Blue-Green configuration. Reference: the extension's README, "Configuration".
# Hosts are ~/.ssh/config aliases${aliases.length ? ` (found: ${aliases.join(', ')})` : ''} or user@host[:port].
version: 1
apps:
  - name: ${appName}
    loadBalancer:
      ssh: ${lb}
      config: /etc/haproxy/haproxy.cfg
      frontend: ${appName.replace(/-/g, '_')}          # the frontend whose default_backend routes this app
      # acl: is_${appName.replace(/-/g, '_')}          # for a shared frontend: the ACL of this app's use_backend rule
      reload: systemctl reload haproxy
      stateFile: /var/lib/haproxy/${appName}-deployment-state.json
    slots:
      blue:
        ssh: ${blue}
        backend: ${appName.replace(/-/g, '_')}_blue
        url: http://${blue}:3001
        dir: /opt/${appName}
        pm2: ${appName}-blue
      green:
        ssh: ${green}
        backend: ${appName.replace(/-/g, '_')}_green
        url: http://${green}:${blue === green ? 3002 : 3001}
        dir: /opt/${appName}${blue === green ? '-green' : ''}
        pm2: ${appName}-green
    health:
      path: /api/health
`;
}
