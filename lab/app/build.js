'use strict';
const fs = require('node:fs');
const path = require('node:path');
const pkg = require('./package.json');
fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'dist', 'build.json'), JSON.stringify({ version: pkg.version, builtAt: new Date().toISOString() }) + '\n');
console.log(`built ${pkg.name} ${pkg.version}`);
