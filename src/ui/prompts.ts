import { redact } from '../core/redact';
import { SshPrompts } from '../core/ssh/runner';
import { askInput, askModal } from './sinks';

/** Host keys and passphrases, asked in modal UI; nothing is written or stored. */
export function vscodePrompts(): SshPrompts {
  return {
    async confirmUnknownHostKey(info) {
      const trust = 'Trust This Session';
      const answer = await askModal(
        redact(`The host key of ${info.host}:${info.port} is not in known_hosts.`),
        redact(`${info.keyType} ${info.fingerprint}\n\nCompare this fingerprint with the one the server's administrator gave you (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host). Blue-Green will not write your known_hosts file.`),
        trust,
      );
      return answer === trust;
    },
    async askPassphrase(keyFile) {
      return askInput({ title: redact('Blue-Green: SSH key passphrase'), prompt: redact(`Passphrase for ${keyFile}`), password: true, ignoreFocusOut: true });
    },
  };
}
