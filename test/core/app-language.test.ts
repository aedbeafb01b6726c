import { describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/router';
import { createService } from '../../electron/core/service';
import { setSetting } from '../../electron/core/store/settings';
import { tempDir } from '../helpers';

describe('the window language the core remembers', () => {
  it('follows the computer until a language is chosen, and keeps the choice across restarts', async () => {
    const dataDir = tempDir();
    const first = createService({ dataDir, host: 'test' });
    expect(await dispatch(first.handlers, 'app:info', {})).toMatchObject({ ok: true, value: { language: 'system', systemLocale: null } });
    expect(await dispatch(first.handlers, 'app:setLanguage', { language: 'de' })).toMatchObject({ ok: true, value: { language: 'de' } });
    await first.close();
    const again = createService({ dataDir, host: 'desktop', locale: 'fr-CA' });
    expect(await dispatch(again.handlers, 'app:info', {})).toMatchObject({ ok: true, value: { language: 'de', systemLocale: 'fr-CA' } });
    await again.close();
  });

  it('refuses a language it has no catalog for, and reads one saved by a newer version as "system"', async () => {
    const service = createService({ dataDir: tempDir(), host: 'test' });
    const refused = await dispatch(service.handlers, 'app:setLanguage', { language: 'pt' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    setSetting(service.ctx.db, 'language', 'pt');
    expect(await dispatch(service.handlers, 'app:info', {})).toMatchObject({ ok: true, value: { language: 'system' } });
    await service.close();
  });
});
