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
require(cli);
