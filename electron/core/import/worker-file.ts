/**
 * Where the import worker's script is: dist/import-worker.cjs beside the bundle the app runs from (built by
 * scripts/build.mjs); when running from the sources (tests, benchmarks), built once from import-worker.ts with
 * esbuild (a development dependency) into node_modules/.cache. Undefined when neither works: the import then
 * runs on the calling thread, with the same result.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';

let found: Promise<string | undefined> | undefined;

export function importWorkerFile(): Promise<string | undefined> {
  return (found ??= locate());
}

async function locate(): Promise<string | undefined> {
  const built = path.join(__dirname, 'import-worker.cjs');
  if (fs.existsSync(built)) return built;
  const source = [path.join(__dirname, 'import-worker.ts'), path.resolve(process.cwd(), 'electron/core/import/import-worker.ts')].find((f) => fs.existsSync(f));
  if (!source) return undefined;
  try {
    const require = createRequire(source);
    // Next to the packages it requires, so that Node finds them from there.
    const modules = path.dirname(path.dirname(require.resolve('papaparse/package.json')));
    const outDir = path.join(modules, '.cache', 'postroom');
    fs.mkdirSync(outDir, { recursive: true });
    const outfile = path.join(outDir, 'import-worker.cjs');
    // Required from beside the source, so it is found whatever bundle or folder this code runs from.
    const esbuild = require('esbuild') as typeof Esbuild;
    const tmp = `${outfile}.${process.pid}.tmp`;
    await esbuild.build({ entryPoints: [source], outfile: tmp, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'silent' });
    fs.renameSync(tmp, outfile); // atomic: parallel test processes may build it at the same moment
    return outfile;
  } catch {
    return undefined;
  }
}
