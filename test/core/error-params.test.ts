import { describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/router';
import { createService } from '../../electron/core/service';
import { tempDir } from '../helpers';

describe('core errors carry the facts in their message, for a window that words them in its language', () => {
  it('names the list a rename collides with, beside the English sentence', async () => {
    const service = createService({ dataDir: tempDir(), host: 'test' });
    const a = await dispatch(service.handlers, 'lists:create', { name: 'Kunden' });
    const b = await dispatch(service.handlers, 'lists:create', { name: 'Presse' });
    expect(a.ok && b.ok).toBe(true);
    const id = b.ok ? b.value.id : 0;
    const result = await dispatch(service.handlers, 'lists:rename', { id, name: 'Kunden' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'ALREADY_EXISTS', message: 'A list called "Kunden" already exists. Choose another name, or import into that list.', params: { reason: 'list', name: 'Kunden' } },
    });
    await service.close();
  });
});
