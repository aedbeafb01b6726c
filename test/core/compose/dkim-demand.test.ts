import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../electron/core/service';
import { call, createTemplate, openService } from './helpers';

let service: Service;
afterEach(async () => service?.close());

const dkimWarnings = (w: string[]) => w.filter((x) => /DKIM/.test(x));

describe('the DKIM warning of the template check', () => {
  it('asks for a key when a plain SMTP server sends, in words that name no command', async () => {
    service = openService();
    const id = await createTemplate(service);
    await call(service, 'relays:create', { name: 'Own server', preset: 'custom', host: 'mail.shop.example', port: 587, security: 'starttls', auth: 'none' });
    const check = await call(service, 'templates:check', { id, fields: [], relay: 'Own server' });
    expect(dkimWarnings(check.warnings)).toHaveLength(1);
    expect(check.warnings.join(' ')).not.toMatch(/postroom|--selector/);
  });

  it('asks for nothing when the relay signs the mail itself (Microsoft 365, Google)', async () => {
    service = openService();
    const id = await createTemplate(service);
    await call(service, 'relays:create', { name: 'Office', preset: 'm365', user: 'shop@shop.example', password: 'x' });
    await call(service, 'relays:create', { name: 'Google', preset: 'workspace', user: 'shop@shop.example', password: 'x' });
    expect(dkimWarnings((await call(service, 'templates:check', { id, fields: [], relay: 'Office' })).warnings)).toEqual([]);
    expect(dkimWarnings((await call(service, 'templates:check', { id, fields: [], relay: 'Google' })).warnings)).toEqual([]);
    // Without a relay named, the check can't know: it asks.
    expect(dkimWarnings((await call(service, 'templates:check', { id, fields: [] })).warnings)).toHaveLength(1);
  });
});
