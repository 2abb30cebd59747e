// Loaded before the tests (mocha's `require`): the compiled code imports its .sh scripts as
// text, as esbuild's text loader does in the bundle.
import { readFileSync } from 'node:fs';

const extensions = require.extensions as NodeJS.RequireExtensions;
extensions['.sh'] = (module, filename) => {
  module.exports = readFileSync(filename, 'utf8');
};
