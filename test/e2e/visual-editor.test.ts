/**
 * The visual editor: a new template opens in it; text typed, a field chip with its fallback, a button in the
 * brand colour, a paste from Word cleaned to safe blocks, undo and redo; the preview shows the merged message;
 * switching to Markdown says what would be lost; the saved template reopens in the visual editor as it was.
 */
import { describe, expect, it } from 'vitest';
import { captureScreen, expectNoErrors, openApp, setupApp, writeRecipientsCsv, tempDataDir, cli } from './harness';

const env = setupApp(async (dataDir) => {
  const csv = writeRecipientsCsv(tempDataDir('postroom-e2e-visual-'), 3, 'Customers.csv');
  await cli(['import', csv, '--list', 'Customers', '--data', dataDir]);
});

const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";font-family:Calibri}</style></head>
<body><!--StartFragment--><p class=MsoNormal style='font-family:Calibri;color:red'><b>Opening hours</b> change<o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>·<span>&nbsp;&nbsp;</span></span><![endif]>Monday to Friday<o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>·<span>&nbsp;&nbsp;</span></span><![endif]>Saturday mornings<o:p></o:p></p>
<p><img src="file:///C:/Users/maria/AppData/image001.png"><a href="javascript:alert(1)">bad link</a><script>alert(1)</script></p><!--EndFragment--></body></html>`;

const GOOGLE_DOCS_HTML = `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1f2e3d4c"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;">From Google Docs, </span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;">really bold</span></p></b>`;

describe('the visual editor', () => {
  it('writes a newsletter with blocks, chips, a button and pasted Word text, and reopens it as it was', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await page.goto(`${env.server.url}#/templates/new`);
    await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
    await expect(page.getByRole('radio', { name: 'Visual editor' }).isChecked()).resolves.toBe(true);
    await page.getByRole('textbox', { name: 'Template name' }).fill('Visual news');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('Shop <shop@example.com>');

    const content = page.getByRole('textbox', { name: 'Content', exact: true });
    await content.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('Dear ');
    await page.getByRole('textbox', { name: 'Fallback when empty' }).fill('friend');
    await page.getByRole('button', { name: 'Insert field first_name' }).click();
    await content.getByText('first_name · friend').waitFor();
    await page.keyboard.type(', spring is here.');
    await page.keyboard.press('Enter');

    // Paste from Word: its list becomes a real list, its styles, local image, script and javascript: link go.
    await content.evaluate((el, html) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'Opening hours change');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, WORD_HTML);
    await content.getByRole('listitem').filter({ hasText: /^Monday to Friday$/ }).waitFor();
    await expect(content.getByRole('listitem').count()).resolves.toBe(2);
    await expect(content.locator('b, strong').filter({ hasText: 'Opening hours' }).count()).resolves.toBe(1);
    const html = await content.innerHTML();
    expect(html).not.toMatch(/script|javascript:|file:|mso-|Calibri|color:\s*red/);

    // Undo takes the paste back, redo brings it again.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(content.getByRole('listitem').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect(content.getByRole('listitem').count()).resolves.toBe(2);

    // A button in the brand colour.
    // Typed a key at a time, as a person does (half a colour is shown, not applied), then Tab at once.
    const colour = page.getByRole('textbox', { name: 'Brand colour' });
    await colour.fill('');
    await colour.pressSequentially('#0b6e99');
    await page.keyboard.press('Tab');
    await expect(colour.inputValue()).resolves.toBe('#0b6e99');
    await page.getByRole('button', { name: 'Button', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a button' });
    await dialog.getByRole('textbox', { name: 'Button text' }).fill('Visit the shop');
    await dialog.getByRole('textbox', { name: 'Web address' }).fill('https://shop.example.com/spring');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('button', { name: 'Footer', exact: true }).click();

    // The preview is the merged message in the layout: the chip filled in, the button, the footer's link.
    const frame = page.frameLocator('iframe[title^="Preview of the message"]');
    await frame.getByText('Dear Name1, spring is here.').waitFor();
    await frame.getByRole('link', { name: 'Visit the shop' }).waitFor();
    // juice writes the brand colour #0b6e99 as rgb().
    await frame.getByRole('link', { name: 'Visit the shop' }).and(frame.locator('[style*="background-color: rgb(11, 110, 153)"]')).waitFor();
    await captureScreen(page, 'template-visual', { fullPage: true });

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('heading', { level: 1, name: 'Visual news' }).waitFor();
    // Reopened from the list: the same blocks and chip, still in the visual editor.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Visual news' }).waitFor();
    await content.getByText('first_name · friend').waitFor();
    await content.getByText('Visit the shop').waitFor();
    await expect(page.getByRole('textbox', { name: 'Brand colour' }).inputValue()).resolves.toBe('#0b6e99');

    // Switching to Markdown says what would be lost, and keeping the visual editor loses nothing.
    await page.getByText('Markdown', { exact: true }).click();
    const ask = page.getByRole('dialog', { name: 'Switch to Markdown?' });
    await ask.getByText(/headings, buttons, images, the footer and the brand colour are lost/).waitFor();
    await ask.getByRole('button', { name: 'Keep Visual editor' }).click();
    await content.getByText('Visit the shop').waitFor();

    // Google Docs wraps everything in a bold tag that isn't bold, and marks real bold with a style.
    await content.getByText('Saturday mornings').click();
    await page.keyboard.press('End');
    await content.evaluate((el, html) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, GOOGLE_DOCS_HTML);
    await content.getByText('From Google Docs,').waitFor();
    await expect(content.locator('strong, b').filter({ hasText: 'From Google Docs' }).count()).resolves.toBe(0);
    await expect(content.locator('strong, b').filter({ hasText: /^really bold$/ }).count()).resolves.toBe(1);
    expectNoErrors(app);
    await app.close();
  });
});
