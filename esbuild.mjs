// Bundles the shipped code (extension + CLI) and the lab tool. ssh2's native parts are
// optional accelerators it loads in a try/catch, so they stay external.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, URL } from 'node:url';
import * as esbuild from 'esbuild';
import shellTextModule from './scripts/shellText.cjs';

const { shellText } = shellTextModule;

/** Remote scripts are .sh files, bundled as the text that is sent (scripts/shellText.cjs). */
const shellScripts = {
  name: 'shell-scripts',
  setup(build) {
    build.onLoad({ filter: /\.sh$/ }, async (args) => ({ contents: shellText(await readFile(args.path, 'utf8')), loader: 'text' }));
  },
};

/** ssh2's SFTP module, required by its client, swapped for src/core/ssh/noSftp.ts (which says why). */
const noSftp = {
  name: 'no-sftp',
  setup(build) {
    build.onResolve({ filter: /^\.\/(protocol\/)?SFTP\.js$/ }, (args) => (/[\\/]node_modules[\\/]ssh2[\\/]lib/.test(args.resolveDir) ? { path: fileURLToPath(new URL('./src/core/ssh/noSftp.ts', import.meta.url)) } : undefined));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [shellScripts, noSftp],
  // yaml's ES-module build (its package's `default` export condition; Node's is CommonJS):
  // the same code, but esbuild can leave out what is never used, such as stringify (about 16 KB).
  alias: {
    yaml: './node_modules/yaml/browser/dist/index.js',
    // bcrypt-pbkdf needs one SHA-512 of tweetnacl: src/core/ssh/naclSha512.ts says why.
    tweetnacl: './src/core/ssh/naclSha512.ts',
  },
};
const production = process.argv.includes('--production');

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', minify: production, sourcemap: !production }),
  // `bluegreen` is a small launcher: the CLI and the MCP server are bundles of their own.
  esbuild.build({ ...common, entryPoints: ['src/bin/launcher.ts'], outfile: 'dist/cli.js', minify: production, sourcemap: !production, banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', minify: production, sourcemap: !production }),
  // The MCP server, apart: the SDK stays out of the extension and of the other CLI commands.
  esbuild.build({ ...common, entryPoints: ['src/mcp/main.ts'], outfile: 'dist/mcp.js', minify: production, sourcemap: !production }),
  esbuild.build({ ...common, entryPoints: ['lab/main.ts'], outfile: 'out/lab.js', sourcemap: true }),
  // A process of its own, so a test that runs the CLI synchronously still gets answers from it.
  esbuild.build({ ...common, entryPoints: ['lab/webhookReceiver.ts'], outfile: 'out/webhook-receiver.js', sourcemap: true }),
  esbuild.build({ ...common, entryPoints: ['bench/main.ts'], outfile: 'out/bench.js', sourcemap: true, external: [...common.external, 'playwright-core'] }),
  // The bench's scale row refreshes in a process that loads only this (bench/scaleRefresh.ts).
  esbuild.build({ ...common, entryPoints: ['bench/scaleRefresh.ts'], outfile: 'out/scale-refresh.js', sourcemap: true }),
  esbuild.build({ ...common, entryPoints: ['soak/main.ts'], outfile: 'out/soak.js', sourcemap: true, external: [...common.external, 'playwright-core'] }),
  esbuild.build({ ...common, entryPoints: ['lab/demo.ts'], outfile: 'out/demo.js', sourcemap: true, external: [...common.external, 'playwright-core'] }),
]);
