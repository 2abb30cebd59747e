import { SshPrompts } from '../core/ssh/runner';

/**
 * The CLI never trusts a new host key on its own: it is told which one with
 * --accept-host-key SHA256:…, after the person checked the fingerprint it printed.
 */
export function cliPrompts(acceptedFingerprints: readonly string[]): SshPrompts {
  return {
    confirmUnknownHostKey: async (info) => acceptedFingerprints.includes(info.fingerprint),
    // For CI: a passphrase from the environment; never from an argument (it would show in `ps`).
    askPassphrase: async () => process.env.BLUEGREEN_KEY_PASSPHRASE || undefined,
  };
}
