// Lint: typescript-eslint's recommended rules, plus the boundaries STYLE.md draws between the folders.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'docs/**', 'assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Only main.ts, preload.ts and security.ts may import electron: the core runs under plain Node.
    files: ['electron/core/**', 'electron/hosts/**', 'shared/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only electron/main.ts, preload.ts and security.ts may import electron.' }] }],
    },
  },
  {
    // shared/ runs on both sides: no Node built-ins, no DOM-only assumptions.
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'electron', 'better-sqlite3'], message: 'shared/ must run in the renderer too.' }] }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs', '*.mjs', '.ci/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
