/**
 * The image dialog's refusals in the window's words: the core refuses a picture with a code and its facts, and the
 * window words them in its language. The dialog says "too big" itself before uploading, from the same catalog entry,
 * so in English that entry must say exactly what the core says.
 */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { changeLanguage, t } from '../../renderer/src/i18n';
import { coreMessage } from '../../renderer/src/i18n/core-messages';
import { createService } from '../../electron/core/service';
import { saveUpload } from '../../electron/hosts/uploads';
import { MAX_INLINE_IMAGE_BYTES } from '../../shared/contract/templates';
import { dispatch } from '../../shared/router';
import { tempDir } from '../helpers';

afterEach(() => changeLanguage('en'));

async function refusalFor(name: string, content: Buffer) {
  const service = createService({ dataDir: tempDir(), host: 'test' });
  try {
    const created = await dispatch(service.handlers, 'templates:create', { name: 'T', subject: 'S', from: 'Shop <shop@example.com>', replyTo: null, format: 'visual', body: '<p>x</p>', text: null, attachField: null });
    if (!created.ok) throw new Error(created.error.message);
    const upload = (await saveUpload(Readable.from([content]), service.ctx.dataDir, name)).path;
    const r = await dispatch(service.handlers, 'templates:addImage', { templateId: created.value.id, upload });
    if (r.ok) throw new Error('expected a refusal');
    return r.error;
  } finally {
    await service.close();
  }
}

describe("the image dialog's refusals", () => {
  it('say "too big" in English exactly as the core does, so the check before uploading reads the same', async () => {
    const size = MAX_INLINE_IMAGE_BYTES + 200_000;
    const error = await refusalFor('poster.png', Buffer.alloc(size));
    expect(error.params).toMatchObject({ reason: 'imageTooBig', file: 'poster.png', size: 1.2, limit: 1 });
    expect(t('core.INVALID_INPUT.imageTooBig', error.params)).toBe(error.message);
  });

  it('are worded in German from the code and the facts', async () => {
    const notImage = await refusalFor('menu.png', Buffer.from('just text'));
    const big = await refusalFor('poster.png', Buffer.alloc(MAX_INLINE_IMAGE_BYTES + 200_000));
    changeLanguage('de');
    expect(coreMessage(notImage)).toBe('„menu.png“ ist kein PNG-, JPEG- oder GIF-Bild und kann deshalb nicht in die Nachricht. Wählen Sie ein Bild in einem dieser Formate.');
    expect(coreMessage(big)).toMatch(/^„poster\.png“ ist 1,2 MB groß\. Ein Bild in einer E-Mail darf höchstens 1 MB groß sein/);
  });
});
