/** Where Postroom keeps its data: the same folder for the desktop app, the browser host and the command line. */
import os from 'node:os';
import path from 'node:path';

/**
 * The data folder, in order: an explicit `--data DIR`, env `POSTROOM_DATA`, else the per-OS folder the desktop
 * app uses (Electron's `app.getPath('userData')` for the product name "Postroom").
 */
export function resolveDataDir(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (explicit) return path.resolve(explicit);
  if (env.POSTROOM_DATA) return path.resolve(env.POSTROOM_DATA);
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Postroom');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Postroom');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Postroom');
  }
}
