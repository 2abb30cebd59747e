// The text of a remote script as it is sent: comment lines and indentation dropped (they are for
// readers of the .sh file; every probe would carry them over SSH, and the bundle too).
// Shared by the esbuild text loader and the tests' require hook, so tests run what ships.
'use strict';

function shellText(source) {
  return source
    .split('\n')
    .map((line) => line.replace(/^\s+/, ''))
    .filter((line) => line !== '' && !line.startsWith('#'))
    .join('\n')
    .concat('\n');
}

module.exports = { shellText };
