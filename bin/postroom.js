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
// `postroom --version` and `postroom --help`, alone, are answered from what the build wrote for them
// (electron/hosts/cli.ts, quickAnswers): the bundle is loaded for every other command.
const args = process.argv.slice(2);
if (args.length === 1) {
  let answer;
  try {
    answer = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'dist', 'cli-quick.json'), 'utf8'))[args[0]];
  } catch {
    // Not built with them: the bundle answers.
  }
  if (typeof answer === 'string') {
    // Straight to the descriptor: process.stdout would first build a stream (and load its modules) for one write.
    // What a non-blocking pipe doesn't take at once goes through it after all.
    const bytes = Buffer.from(answer + '\n');
    let written = 0;
    try {
      while (written < bytes.length) written += fs.writeSync(1, bytes, written);
    } catch (e) {
      // A reader that went away (`postroom --help | head -1`) wants no more.
      if (e.code !== 'EPIPE') process.stdout.write(bytes.subarray(written));
    }
    return;
  }
}
// Run with the code cache the build wrote beside the bundle, which saves compiling it on every start
// (electron/hosts/code-cache.ts). Plain require() where that can't serve: a build from before the cache, and
// --enable-source-maps, which maps the stack traces only of files that require() compiled.
const loader = path.join(__dirname, '..', 'dist', 'code-cache.cjs');
if (fs.existsSync(loader) && !process.sourceMapsEnabled) require(loader).runWithCodeCache(cli, module);
else require(cli);
