// Loaded before the tests (mocha's `require`): the compiled code imports its .sh scripts as
// the text that is sent, as the bundle has it (scripts/shellText.cjs).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS shared with esbuild.mjs
const { shellText } = require(path.join(__dirname, '../../scripts/shellText.cjs')) as { shellText(source: string): string };
const extensions = require.extensions as NodeJS.RequireExtensions;
extensions['.sh'] = (module, filename) => {
  module.exports = shellText(readFileSync(filename, 'utf8'));
};
