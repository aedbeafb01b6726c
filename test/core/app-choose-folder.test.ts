import { describe, expect, it } from 'vitest';
import { createService } from '../../electron/core/service';
import { dispatch } from '../../shared/router';
import { tempDir } from '../helpers';

describe('app:chooseFolder', () => {
  it("answers the host's folder picker's choice (the desktop app's dialog), null when cancelled", async () => {
    const asked: unknown[] = [];
    const picks = ['/home/ann/Invoices', null];
    const service = createService({ dataDir: tempDir(), host: 'desktop', chooseFolder: async (o) => (asked.push(o), picks.shift()!) });
    expect(await dispatch(service.handlers, 'app:chooseFolder', { title: 'Invoices' })).toEqual({ ok: true, value: { folder: '/home/ann/Invoices' } });
    expect(await dispatch(service.handlers, 'app:chooseFolder', {})).toEqual({ ok: true, value: { folder: null } });
    expect(asked).toEqual([{ title: 'Invoices' }, {}]);
    await service.close();
  });

  it('says to type the path where there is no picker (the browser, the command line)', async () => {
    const service = createService({ dataDir: tempDir(), host: 'browser' });
    expect(await dispatch(service.handlers, 'app:chooseFolder', {})).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: expect.stringMatching(/Type the folder's full path/) } });
    await service.close();
  });
});
