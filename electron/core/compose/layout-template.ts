/**
 * The email layout Markdown templates are rendered into: one centred 600-pixel column built from tables
 * (what Outlook's Word engine renders faithfully), system fonts, generous line height, full width on phones.
 * The CSS is inlined by juice; the media query stays in a <style> block for clients that honour it.
 */
import type { Language } from '../../../shared/contract/app';
import { messageWords } from './message-words';

export const LAYOUT_CSS = `
body { margin: 0; padding: 0; background-color: #f4f5f7; -webkit-text-size-adjust: 100%; -ms-text-size-adjust: 100%; }
table { border-collapse: collapse; }
.wrapper { width: 100%; background-color: #f4f5f7; }
.container { width: 600px; max-width: 600px; background-color: #ffffff; border-radius: 8px; }
.content { padding: 32px 40px; font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.6; color: #1f2933; }
.content h1 { margin: 0 0 16px; font-size: 26px; line-height: 1.25; color: #111827; font-weight: 700; }
.content h2 { margin: 28px 0 12px; font-size: 20px; line-height: 1.3; color: #111827; font-weight: 700; }
.content h3 { margin: 24px 0 8px; font-size: 17px; line-height: 1.35; color: #111827; font-weight: 700; }
.content p { margin: 0 0 16px; }
.content a { color: #1d4ed8; text-decoration: underline; }
.content ul, .content ol { margin: 0 0 16px; padding-left: 24px; }
.content li { margin: 0 0 6px; }
.content blockquote { margin: 0 0 16px; padding: 4px 16px; border-left: 4px solid #d1d5db; color: #4b5563; }
.content img { max-width: 100%; height: auto; border: 0; }
.content hr { border: 0; border-top: 1px solid #e5e7eb; margin: 24px 0; }
.content code { font-family: Menlo, Consolas, monospace; font-size: 14px; background-color: #f3f4f6; padding: 1px 4px; border-radius: 3px; }
.content pre { background-color: #f3f4f6; padding: 12px; border-radius: 4px; overflow: auto; }
.content table { width: 100%; margin: 0 0 16px; }
.content th, .content td { border: 1px solid #e5e7eb; padding: 6px 10px; text-align: left; }
.footer { padding: 20px 40px 32px; font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; font-size: 13px; line-height: 1.5; color: #6b7280; text-align: center; }
.footer a { color: #6b7280; text-decoration: underline; }
@media only screen and (max-width: 620px) {
  .container { width: 100% !important; border-radius: 0 !important; }
  .content { padding: 24px 20px !important; }
  .footer { padding: 16px 20px 24px !important; }
}
`;

/**
 * The footer the layout adds when the template itself says nothing about unsubscribing, in the message's language.
 * In English: "You are receiving this because you are on the list {{ list }}. Unsubscribe at any time." (the link
 * goes to the https: page, else the mailto: address).
 */
function footer(language: Language): string {
  const w = messageWords(language);
  const [before, link, after] = w.footerLeave;
  return `{% if unsubscribe_url or unsubscribe_mailto %}<p>${w.footerReason}<br>
${before}{% if unsubscribe_url %}<a href="{{ unsubscribe_url }}">${link}</a>{% else %}<a href="{{ unsubscribe_mailto }}">${link}</a>{% endif %}${after}</p>{% endif %}`;
}

/**
 * The whole document around `content`. With `bare`, a minimal document for an HTML fragment (no layout styles).
 * `title` and the footer are Liquid; `content` has no raw Liquid in it (the caller protected it). `language`: the
 * one the message is written in (`<html lang>`, the footer's words); English when not given.
 */
export function layoutDocument(title: string, content: string, opts: { bare?: boolean; footer?: boolean; language?: Language } = {}): string {
  const language = opts.language ?? 'en';
  const head = `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>${title}</title>
${opts.bare ? '' : `<style>${LAYOUT_CSS}</style>`}
</head>`;
  if (opts.bare) return `${head}\n<body>\n${content}\n</body>\n</html>\n`;
  return `${head}
<body>
<table role="presentation" class="wrapper" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td align="center" style="padding: 24px 8px;">
<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0">
<tr><td class="content">
${content}
</td></tr>
</table>
${opts.footer === false ? '' : `<table role="presentation" width="600" class="container-footer" cellpadding="0" cellspacing="0" border="0" style="max-width: 600px; width: 100%;">
<tr><td class="footer">${footer(language)}</td></tr>
</table>`}
</td></tr>
</table>
</body>
</html>
`;
}
