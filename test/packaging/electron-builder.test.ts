import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import scheme from 'app-builder-lib/scheme.json';

// electron-builder.yml can only be exercised for real with internet (it downloads Electron); here we hold
// it to electron-builder's own schema and to the decisions STYLE.md asks for.
interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  files: string[];
  extraMetadata: { main: string };
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
}
const config = yaml.load(fs.readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('is valid against electron-builder\'s own configuration schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(scheme);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('builds AppImage and deb for Linux, NSIS for Windows, dmg for macOS, with icons from assets/', () => {
    expect(config.appId).toBe('app.postroom.desktop');
    expect(config.productName).toBe('Postroom');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    for (const os of ['linux', 'win', 'mac'] as const) expect(fs.existsSync(config[os].icon)).toBe(true);
  });

  it('unpacks better-sqlite3\'s native module from the asar and rebuilds it for Electron at packaging time', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  it('sets the fuses STYLE.md lists', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packages the built app, whose main entry exists after a build', () => {
    expect(config.extraMetadata.main).toBe('dist/main.cjs');
    expect(config.files).toContain('dist/**');
  });
});
