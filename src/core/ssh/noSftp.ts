/**
 * Stands in for ssh2's SFTP module in the bundles (esbuild.mjs): nothing here opens an SFTP
 * session, and the module is a twelfth of the extension's bundle. ssh2's client only compares a
 * channel's constructor with this class, or builds one when `sftp()` is called.
 */
export class SFTP {
  constructor() {
    throw new Error('SFTP is not part of the Blue-Green bundle');
  }
}
