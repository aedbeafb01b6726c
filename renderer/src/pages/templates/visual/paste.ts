/**
 * What Word and Google Docs put on the clipboard, cleaned before the editor reads it: their style sheets,
 * conditional comments, Office namespaced tags, local image paths and Word's fake list paragraphs. The editor's
 * schema then keeps only its own blocks and marks (no classes, styles or scripts survive parsing), so the result
 * is email-safe HTML.
 */

/**
 * Word's list items are paragraphs with `mso-list` in their style; their bullet or number sits in a conditional
 * comment (kept by cleanPastedHtml as a `data-bullet` marker). Consecutive ones become a real list.
 */
function wordLists(doc: Document): void {
  const items = [...doc.body.querySelectorAll('p')].filter((p) => /mso-list/i.test(p.getAttribute('style') ?? '') || /MsoListParagraph/i.test(p.className));
  let list: HTMLElement | null = null;
  for (const p of items) {
    const marker = p.querySelector('[data-bullet]');
    const ordered = /^\s*(\d+|[a-z]|[ivx]+)[.)]/i.test(marker?.getAttribute('data-bullet') ?? '');
    marker?.remove();
    if (!list || list.nextElementSibling !== p || (list.tagName === 'OL') !== ordered) {
      list = doc.createElement(ordered ? 'ol' : 'ul');
      p.before(list);
    }
    const li = doc.createElement('li');
    li.innerHTML = p.innerHTML;
    list.append(li);
    p.remove();
  }
}

export function cleanPastedHtml(html: string): string {
  const stripped = html
    // Word's list bullets sit in `<![if !supportLists]>…<![endif]>`: keep only what they were, for wordLists.
    .replace(/<!\[if !supportLists\]>([\s\S]*?)<!\[endif\]>/gi, (_m, inner: string) => `<span data-bullet="${inner.replace(/<[^>]*>|&nbsp;|["&]/g, '').trim()}"></span>`)
    .replace(/<!\[(?:if|endif)[^\]]*\]>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(style|script|xml|meta|link|title)[\s\S]*?<\/\1>/gi, '')
    .replace(/<\/?o:p>/gi, '');
  const doc = new DOMParser().parseFromString(stripped, 'text/html');
  doc.querySelectorAll('script, style, iframe, object, embed, form, input, button, svg, math').forEach((el) => el.remove());
  // Images the mail can't show: local files (Word's file:///C:/…), blobs. Web and data images stay, and the
  // template's own inline pictures (cid:), which the editor's own cut and paste carries through here too.
  doc.querySelectorAll('img').forEach((img) => {
    if (!/^(https?:|data:image\/|cid:)/i.test(img.getAttribute('src') ?? '')) img.remove();
  });
  // Namespaced Office tags (<v:shape>, <w:…>) carry nothing readable.
  doc.querySelectorAll('*').forEach((el) => {
    if (el.tagName.includes(':')) el.remove();
  });
  wordLists(doc);
  return doc.body.innerHTML;
}
