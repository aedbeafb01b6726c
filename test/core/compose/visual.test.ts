import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../electron/core/service';
import { layOut } from '../../../electron/core/compose/layout';
import { addList, call, createTemplate, draft, openService } from './helpers';

let service: Service;
afterEach(async () => service?.close());

const BODY = `<h1>Hello {{ first_name | default: "there" }},</h1>
<p>Our news.</p>
<p data-button="" data-color="#0b6e99" style="margin: 8px 0 24px;"><a href="https://example.com/c" class="button" style="background-color: #0b6e99;">Read more</a></p>`;
const DOC = JSON.stringify({ version: 1, brand: { color: '#0b6e99', logoUrl: '', logoAlt: '' }, content: { type: 'doc', content: [] } });

describe('templates written in the visual editor', () => {
  it('keep their format and editor document through save, read, list, update and copy', async () => {
    service = openService();
    const id = await createTemplate(service, { name: 'Visual', format: 'visual', body: BODY, doc: DOC });
    expect(await call(service, 'templates:get', { id })).toMatchObject({ format: 'visual', body: BODY, doc: DOC });
    expect((await call(service, 'templates:list', {})).find((t) => t.id === id)?.format).toBe('visual');
    const copy = await call(service, 'templates:duplicate', { id });
    expect(copy).toMatchObject({ format: 'visual', doc: DOC });
    // Switched to HTML by hand: the editor document goes, and the template is plain HTML again.
    const html = await call(service, 'templates:update', { id, template: draft({ name: 'Visual', format: 'html', body: '<p>x</p>' }) });
    expect(html.format).toBe('html');
    expect(html).not.toHaveProperty('doc');
  });

  it("lay out in Postroom's layout like Markdown, with the fields still Liquid and the CSS inlined", () => {
    const laid = layOut(BODY, 'visual', 'News');
    expect(laid.html).toContain('class="container"');
    expect(laid.html).toContain('{{ first_name | default: "there" }}');
    expect(laid.html).not.toContain('<style>\nbody');
    expect(laid.html).toMatch(/<h1 style="[^"]*font-size: 26px/);
    // No unsubscribe link in the body: the layout's footer carries it.
    expect(laid.html).toContain('{% if unsubscribe_url or unsubscribe_mailto %}');
    expect(laid.text).toContain('Hello {{ first_name | default: "there" }},');
    expect(laid.text).toContain('Read more [https://example.com/c]');
    // With the editor's footer, the layout adds none of its own.
    const withFooter = layOut(`${BODY}<div data-footer=""><p>Shop</p><p><a href="{{ unsubscribe_url | default: unsubscribe_mailto }}">Unsubscribe</a></p></div>`, 'visual', 'News');
    expect(withFooter.html).not.toContain('{% if unsubscribe_url or unsubscribe_mailto %}');
  });

  it("preview a recipient's message with their values, and the footer's link falls back to the mailto address", async () => {
    service = openService();
    addList(service, 'Customers', ['email', 'first_name'], [{ email: 'ann@example.net', name: 'Ann', fields: { first_name: 'Ann' } }, { email: 'bo@example.net', name: 'Bo', fields: { first_name: '' } }]);
    const body = `${BODY}<div data-footer=""><p>Shop</p><p><a href="{{ unsubscribe_url | default: unsubscribe_mailto }}">Unsubscribe</a></p></div>`;
    const id = await createTemplate(service, { name: 'V', format: 'visual', body, doc: DOC });
    const ann = await call(service, 'templates:preview', { id, list: 'Customers', index: 0, unsubscribe: { mailto: 'leave@example.com' } });
    expect(ann.html).toContain('Hello Ann,');
    expect(ann.html).toMatch(/href="mailto:leave@example.com/);
    const bo = await call(service, 'templates:preview', { id, list: 'Customers', index: 1, unsubscribe: { url: 'https://example.com/u' } });
    expect(bo.html).toContain('Hello there,');
    expect(bo.html).toContain('href="https://example.com/u"');
  });
});
