/**
 * Checks a campaign's unsubscribe methods by rendering them, not by a pattern: merge fields written any way Liquid
 * allows (`{{ email }}`, `{{email}}`, filters) work, and what a recipient would get must be a usable mailto: address
 * or https:// link.
 */
import { PostroomError } from '../../../shared/errors';
import { mailtoAddress, type UnsubscribeMethods } from '../../../shared/unsubscribe';
import { compileOrThrow, render } from './liquid';
import { isAddress } from './headers';

const SAMPLE = { email: 'someone@example.com', name: 'Someone', first_name: 'Someone', list: 'list', campaign: 'campaign' };

/** Throws INVALID_INPUT (or TEMPLATE_INVALID for a Liquid mistake) when a method doesn't render to something usable. */
export function checkUnsubscribeRenders(u: UnsubscribeMethods | null, fields: Record<string, string> = {}): void {
  if (!u) return;
  const scope = { ...SAMPLE, ...fields };
  if (u.mailto) {
    const out = render(compileOrThrow(u.mailto, 'url', 'unsubscribe'), scope);
    const to = mailtoAddress(out);
    if (!to || !to.split(',').every((a) => isAddress(a.trim()))) {
      throw new PostroomError('INVALID_INPUT', `The unsubscribe address "${u.mailto}" doesn't give an e-mail address (for someone@example.com it becomes "${out}"). Write it as mailto:unsubscribe@your-domain.`);
    }
  }
  if (u.url) {
    const out = render(compileOrThrow(u.url, 'url', 'unsubscribe'), scope);
    let ok = false;
    try {
      const parsed = new URL(out);
      ok = parsed.protocol === 'https:' && !!parsed.hostname;
    } catch {
      ok = false;
    }
    if (!ok) throw new PostroomError('INVALID_INPUT', `The unsubscribe link "${u.url}" doesn't give a web address (for someone@example.com it becomes "${out}"). Write it as https://your-site/unsubscribe?…`);
  }
}
