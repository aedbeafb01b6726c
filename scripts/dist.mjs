// `npm run dist`: builds, then packages Postroom with electron-builder for this OS (needs internet: it
// downloads Electron and the packaging tools). electron-builder rebuilds better-sqlite3 for Electron's ABI
// in node_modules; afterwards it is rebuilt for Node again so that `npm test` and the command line keep working.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
let status = run(process.execPath, ['scripts/build.mjs']).status;
if (status === 0) status = run('npx', ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)]).status;
run('npm', ['rebuild', 'better-sqlite3']);
process.exit(status ?? 1);
