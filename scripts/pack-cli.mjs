// `npm run pack:cli`: the `bluegreen` CLI and MCP server as an npm package, for CI jobs and
// scripts (`npm install -g ./out/blue-green-<version>.tgz`, or from the registry once published), from the bundles `npm run build`
// made. Packed from a folder of its own (out/cli-package): the extension's package.json names
// dist/extension.js as `main`, which npm always packs, and its dependencies, which the bundles
// already hold. So the CLI's package has no dependencies and holds only what it runs.
// `--dir-only` stages the folder without packing; prints the tarball's path otherwise.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAGE = path.join(ROOT, 'out', 'cli-package');
/** What the CLI and `bluegreen mcp` load at run time, and what the registry page shows. */
export const CLI_PACKAGE_FILES = ['dist/cli.js', 'dist/cli-main.js', 'dist/mcp.js', 'schema/bluegreen.schema.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
for (const file of CLI_PACKAGE_FILES) {
  if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run npm run build first`);
}
rmSync(STAGE, { recursive: true, force: true });
for (const file of CLI_PACKAGE_FILES) {
  mkdirSync(path.dirname(path.join(STAGE, file)), { recursive: true });
  copyFileSync(path.join(ROOT, file), path.join(STAGE, file));
}
const cliPackage = {
  name: pkg.name,
  version: pkg.version,
  description: `${pkg.description} The bluegreen CLI and MCP server.`,
  license: pkg.license,
  repository: pkg.repository,
  keywords: pkg.keywords,
  bin: pkg.bin,
  engines: { node: pkg.engines.node },
  files: CLI_PACKAGE_FILES,
};
writeFileSync(path.join(STAGE, 'package.json'), `${JSON.stringify(cliPackage, null, 2)}\n`);
if (!process.argv.includes('--dir-only')) {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', path.join(ROOT, 'out')], { cwd: STAGE, encoding: 'utf8' }).trim().split('\n').at(-1);
  console.log(path.join(ROOT, 'out', out));
}
