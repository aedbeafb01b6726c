/**
 * zod, as the command line's bundle loads it (scripts/build.mjs points the bundle's `zod` here, dist/zod-loader.cjs):
 * zod bundled into one file, dist/zod.cjs, run from its own code cache (./code-cache.ts). Required as a package,
 * zod compiled some seventy files on the start of every command that opens the data folder: 60-90 ms on the 2-core
 * machine. Loaded on the first `require('zod')`, so --version and --help never load it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { runWithCodeCache } from './code-cache';

const file = path.join(__dirname, 'zod.cjs');
// (Node maps stack traces only in files require() compiled, as bin/postroom.js does for the bundle.)
(module as { exports: unknown }).exports = process.sourceMapsEnabled ? createRequire(file)(file) : runWithCodeCache(file, module).exports;
