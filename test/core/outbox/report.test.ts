import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/core/outbox/engine';
import { campaignState, recipients, setup, startSmtp, until } from './harness';
import { tempDir } from '../../helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('the report, one for both doors', () => {
  it('gives the window (campaigns:reportCsv) the same bytes postroom report writes, and one state on request', async () => {
    const server = await startSmtp({ script: (rcpt) => (rcpt.startsWith('r0002') ? { code: 550, text: '5.1.1 no such user' } : 'accept') });
    const s = setup({ emails: recipients(3) });
    s.addRelay('local', server.port);
    cleanups.push(() => server.close(), () => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    const engine = new Engine(s.service.ctx);
    engine.start();
    cleanups.push(() => engine.stop());
    await until(() => campaignState(s.db, 'spring') === 'completed', 10_000, 'the campaign to complete');

    const file = path.join(tempDir(), 'report.csv');
    const written = await s.call('campaigns:report', { campaign: 'spring', file });
    const text = await s.call('campaigns:reportCsv', { campaign: 'spring' });
    expect(text.csv).toBe(fs.readFileSync(file, 'utf8'));
    expect(text.rows).toBe(written.rows);
    expect(text.csv.split('\r\n')[0]).toBe('email,state,attempts,last_response,sent_at,message_id');
    const failed = await s.call('campaigns:reportCsv', { campaign: 'spring', state: 'failed' });
    expect(failed.rows).toBe(1);
    expect(failed.csv).toMatch(/^email,state,attempts,last_response,sent_at,message_id\r\nr0002@example\.test,failed,1,550 5\.1\.1 no such user,,<[^>]+>\r\n$/);
  });
});
