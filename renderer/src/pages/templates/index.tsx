/** Templates: the list (with the starter templates when there is none yet) and the editor. */
import type { SectionProps } from '../../app/sections';
import { NotFound } from '../../app/NotFound';
import { TemplateList } from './TemplateList';
import { TemplateEditor } from './TemplateEditor';

export function TemplatesPage({ sub, query }: SectionProps) {
  const [first] = sub;
  if (first === undefined) return <TemplateList />;
  if (first === 'new') return <TemplateEditor key={`new:${query.get('starter') ?? ''}`} starter={query.get('starter') ?? undefined} />;
  const id = Number(first);
  if (!Number.isInteger(id) || id <= 0 || sub.length > 1) return <NotFound />;
  return <TemplateEditor key={id} id={id} />;
}
