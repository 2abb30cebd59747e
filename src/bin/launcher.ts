// `bluegreen`: starts the command line, or the MCP server without loading the rest of the CLI
// (an editor waits for `bluegreen mcp` to answer; each bundle costs its parse time).
import * as path from 'node:path';

/** The first word that is not an option or an option's value. */
function commandOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config' || argv[i] === '--app') i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}

const argv = process.argv.slice(2);
// Paths, not literals: esbuild would bundle a literal into this file.
const bundle = path.join(__dirname, commandOf(argv) === 'mcp' ? 'mcp.js' : 'cli-main.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle beside this one
const entry = require(bundle) as { run(argv: string[]): void };
entry.run(argv);
