#!/usr/bin/env node
'use strict';
// The `postroom` command. The command line is built into dist/ by `npm run build` (npm install runs it).
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write("postroom: the command line hasn't been built yet. Run 'npm run build' in " + path.dirname(__dirname) + ' first.\n');
  process.exit(1);
}
// Run with the code cache the build wrote beside the bundle, which saves compiling it on every start
// (electron/hosts/code-cache.ts). Plain require() where that can't serve: a build from before the cache, and
// --enable-source-maps, which maps the stack traces only of files that require() compiled.
const loader = path.join(__dirname, '..', 'dist', 'code-cache.cjs');
if (fs.existsSync(loader) && !process.sourceMapsEnabled) require(loader).runWithCodeCache(cli, module);
else require(cli);
