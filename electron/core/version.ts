/** The app's version, set at build time from package.json (esbuild `define`); tests fall back to reading it. */
declare const __POSTROOM_VERSION__: string | undefined;

export const VERSION: string =
  typeof __POSTROOM_VERSION__ === 'string' ? __POSTROOM_VERSION__ : (process.env.npm_package_version ?? '0.0.0-dev');
