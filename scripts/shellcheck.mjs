// Lint for the remote scripts: shellcheck every .sh under src/ (and lab/, scripts/, .ci/) as POSIX sh or bash.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

function find(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') find(p, out);
    else if (entry.name.endsWith('.sh')) out.push(p);
  }
  return out;
}

if (spawnSync('shellcheck', ['--version']).error) {
  console.error('shellcheck is not installed: apt-get install shellcheck (CI installs it).');
  process.exit(1);
}
const files = ['src', 'lab', 'scripts'].flatMap((d) => find(d));
execFileSync('shellcheck', ['--severity=style', ...files, '.ci/run'], { stdio: 'inherit' });
console.log(`shellcheck: ${files.length + 1} files clean`);
