/**
 * The starter templates that ship in assets/templates/<key>/: `template.json` (name, description, subject,
 * format, body file) beside the body, in English. Each language's version of a starter is a folder of the same
 * files inside it, named by the language: assets/templates/<key>/de/template.json. Found by walking up from this
 * module: the same code runs from the sources (tests), from dist/ (command line, desktop) and from the packaged
 * app's resources.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StarterTemplate } from '../../../shared/contract/templates';
import type { Language } from '../../../shared/contract/app';
import { checkTemplate } from './check';

interface StarterMeta {
  name: string;
  description: string;
  subject: string;
  format: StarterTemplate['format'];
  body: string;
  order?: number;
}

/** The assets/templates folder, or null when this build has none. */
export function startersDir(start: string = __dirname): string | null {
  const candidates: string[] = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'assets', 'templates'));
    if (path.dirname(dir) === dir) break;
  }
  candidates.push(path.join(process.cwd(), 'assets', 'templates'));
  // Electron's packaged app keeps extra resources beside app.asar.
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(path.join(resources, 'assets', 'templates'));
  return candidates.find((c) => fs.existsSync(path.join(c))) ?? null;
}

/**
 * The starters in `lang`, in their order. A starter not (yet) written in that language comes in English, so the
 * list is the same in every language: the same keys, the same formats, the same merge fields.
 */
export function loadStarters(dir: string | null = startersDir(), lang: Language = 'en'): StarterTemplate[] {
  if (!dir) return [];
  const out: Array<StarterTemplate & { order: number }> = [];
  for (const key of fs.readdirSync(dir).sort()) {
    if (!fs.existsSync(path.join(dir, key, 'template.json'))) continue;
    const translated = path.join(dir, key, lang);
    const written = lang !== 'en' && fs.existsSync(path.join(translated, 'template.json'));
    const folder = written ? translated : path.join(dir, key);
    const meta = JSON.parse(fs.readFileSync(path.join(folder, 'template.json'), 'utf8')) as StarterMeta;
    const body = fs.readFileSync(path.join(folder, meta.body), 'utf8');
    const fields = checkTemplate({ subject: meta.subject, from: 'x <x@example.com>', replyTo: null, format: meta.format, body, text: null, attachField: null }, []).fields;
    const language = written ? lang : 'en';
    out.push({ key, name: meta.name, description: meta.description, format: meta.format, subject: meta.subject, body, language, fields, order: meta.order ?? 99 });
  }
  return out.sort((a, b) => a.order - b.order).map(({ order: _order, ...s }) => s);
}
