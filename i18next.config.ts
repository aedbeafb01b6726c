/**
 * `npm run i18n:extract` (i18next-cli): finds every t('…') and rich('…') in the renderer and adds missing keys to
 * each catalog in renderer/src/i18n/locales (English gets the key to fill in; the others get an empty string
 * that the catalog test reports until it is translated). Messages are ICU, so plurals live inside one message,
 * never as key_one/key_other.
 */
import { defineConfig, type Plugin } from 'i18next-cli';

/**
 * i18next-cli names a call with `count` as i18next-style plural keys (key_one, key_other). Our messages are ICU:
 * the plural is inside the one message, so fold those back into the key itself.
 */
const icuPlurals: Plugin = {
  name: 'icu-plurals',
  onEnd(keys) {
    for (const [id, entry] of [...keys]) {
      const m = /^(.*)_(zero|one|two|few|many|other)$/.exec(entry.key);
      if (!m) continue;
      keys.delete(id);
      const base = id.slice(0, id.length - entry.key.length) + m[1];
      if (!keys.has(base)) keys.set(base, { ...entry, key: m[1]!, defaultValue: '' });
    }
  },
};

export default defineConfig({
  locales: ['en', 'de', 'fr', 'es'],
  extract: {
    input: ['renderer/src/**/*.{ts,tsx}'],
    output: process.env.I18N_OUT ?? 'renderer/src/i18n/locales/{{language}}/{{namespace}}.json',
    keySeparator: false,
    nsSeparator: false,
    functions: ['t', 'rich'],
    // Keys named in tables (error headlines, campaign states, hosts) rather than in a t('…') call.
    preservePatterns: ['setup.next.*', 'error.*', 'campaignState.*', 'settings.host.*', 'core.*', 'results.state.*', 'results.outcome.*', 'cameBack.kind.*', 'suppressions.reason.*'],
    primaryLanguage: 'en',
    defaultValue: '',
    sort: true,
    indentation: 2,
    removeUnusedKeys: true,
  },
  plugins: [icuPlurals],
});
