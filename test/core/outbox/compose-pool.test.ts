import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ComposePool, WarmComposeWorkers } from '../../../electron/core/outbox/compose-pool';
import { prepareComposer } from '../../../electron/core/compose';
import { buildComposeWorker, setup } from './harness';
import { insertTemplate } from '../../../electron/core/store/templates';
import { dotStuffed } from '../../../electron/core/relay/dot-stuffing';

let workerFile = '';
beforeAll(async () => {
  workerFile = await buildComposeWorker('pool');
}, 60_000);

afterAll(() => fs.rmSync(workerFile, { force: true }));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A data folder, and compose workers started ahead for it; both cleaned up after the test. */
function withWarmWorkers(count: number) {
  const s = setup();
  cleanups.push(() => s.close());
  const warm = new WarmComposeWorkers(s.service.ctx, workerFile, count);
  cleanups.push(() => warm.close());
  return { ctx: s.service.ctx, warm };
}

describe('composing off the engine thread', () => {
  const options = { templateId: 1, campaignName: 'spring', listName: 'customers', unsubscribe: { mailto: 'leave@example.com' } };
  const anna = { email: 'anna@example.test', name: null, fields: { first_name: 'Anna', company: 'ACME' } };

  it('composes on a worker thread the same message the engine thread would', async () => {
    const s = setup();
    cleanups.push(() => s.close());
    const local = prepareComposer(s.service.ctx, options);
    const pool = new ComposePool(s.service.ctx, options, local, workerFile, 1);
    cleanups.push(() => pool.close());
    expect(await pool.workersInUse()).toBe(1);
    expect(pool.failure).toBeNull();
    const a = await pool.compose(anna, '<fixed-1@example.com>');
    const b = await local.compose(anna, '<fixed-1@example.com>');
    const strip = (raw: Buffer) => raw.toString('utf8').replace(/^Date: .*$/m, '').replace(/----_=_NextPart[\w-]*|--_NmP-[\w-]+|=_postroom_[0-9a-f]+/g, 'BOUNDARY');
    expect(a.subject).toBe('News for Anna');
    expect(a.envelope).toEqual({ from: 'shop@example.com', to: ['anna@example.test'] });
    expect(strip(a.raw)).toBe(strip(b.raw));
    // A recipient as the outbox stores it (the engine's): its fields parsed on the worker, the same message.
    const stored = await pool.compose({ email: anna.email, name: anna.name, fieldsJson: JSON.stringify(anna.fields) }, '<fixed-1@example.com>');
    expect(strip(stored.raw)).toBe(strip(b.raw));
  });

  it('dot-stuffs each message for DATA where it composed it, as the relay pool would as it sends', async () => {
    const s = setup();
    cleanups.push(() => s.close());
    const ctx = s.service.ctx;
    const dots = insertTemplate(ctx.db, { name: 'dots', subject: 'Dots', from: 'Shop <shop@example.com>', replyTo: null, format: 'html', body: '<p>Hi {{ first_name }}</p>', text: 'Hi {{ first_name }}\n.this line starts with a dot\n', attachField: null }, Date.now());
    for (const [templateId, dotted] of [[1, false], [dots, true]] as const) {
      const opts = { ...options, templateId };
      const pool = new ComposePool(ctx, opts, prepareComposer(ctx, opts), workerFile, 1);
      cleanups.push(() => pool.close());
      expect(await pool.workersInUse()).toBe(1);
      const m = await pool.compose(anna, '<dots@example.com>');
      expect(m.stuffed).toEqual(dotStuffed(m.raw));
      expect(m.stuffed === m.raw, `template ${templateId}`).toBe(!dotted); // the same bytes unless a line starts with a dot
      if (dotted) expect(m.stuffed!.includes('\r\n..this line starts with a dot\r\n')).toBe(true);
    }
  });

  it('composes on its own thread when there is no worker file', async () => {
    const s = setup();
    cleanups.push(() => s.close());
    const pool = new ComposePool(s.service.ctx, options, prepareComposer(s.service.ctx, options), null);
    expect(await pool.usesWorker()).toBe(false);
    expect((await pool.compose(anna, '<fixed-2@example.com>')).messageId).toBe('<fixed-2@example.com>');
  });

  it('composes on its own thread when the secrets are sealed by the OS keychain, which a worker cannot reach', async () => {
    const s = setup();
    cleanups.push(() => s.close());
    const keychain = { ...s.service.ctx.secrets, protection: () => 'keychain' as const };
    const ctx = { ...s.service.ctx, secrets: keychain };
    const pool = new ComposePool(ctx, options, prepareComposer(ctx, options), workerFile, 1);
    cleanups.push(() => pool.close());
    expect(await pool.usesWorker()).toBe(false);
    expect(pool.failure).toBeNull();
    expect((await pool.compose(anna, '<fixed-4@example.com>')).subject).toBe('News for Anna');
  });

  it('composes on its own thread while its worker is still starting, instead of waiting for it', async () => {
    const s = setup();
    cleanups.push(() => s.close());
    const local = prepareComposer(s.service.ctx, options);
    const pool = new ComposePool(s.service.ctx, options, local, workerFile, 1);
    cleanups.push(() => pool.close());
    const first = await Promise.race([pool.workersInUse().then(() => 'the worker came up'), pool.compose(anna, '<fixed-3@example.com>').then((m) => m.messageId)]);
    expect(first).toBe('<fixed-3@example.com>');
    expect(await pool.workersInUse()).toBe(1); // and the worker is used once it is up
  });

  it('takes workers started ahead of its campaign, waits for them, and makes its own composer only if it must compose', async () => {
    const { ctx, warm } = withWarmWorkers(2);
    expect(warm.has(workerFile)).toBe(true);
    expect(warm.has(`${workerFile}.other`)).toBe(false);
    let made = 0;
    const pool = new ComposePool(ctx, options, () => (made++, prepareComposer(ctx, options)), workerFile, 1, warm);
    cleanups.push(() => pool.close());
    // The first message waits for the warm worker to prepare the campaign rather than being composed here.
    const m = await pool.compose(anna, '<warm-1@example.com>');
    expect(made).toBe(0);
    expect(await pool.workersInUse()).toBe(1);
    expect(pool.failure).toBeNull();
    const strip = (raw: Buffer) => raw.toString('utf8').replace(/^Date: .*$/m, '').replace(/=_postroom_[0-9a-f]+/g, 'BOUNDARY');
    expect(strip(m.raw)).toBe(strip((await prepareComposer(ctx, options).compose(anna, '<warm-1@example.com>')).raw));
    // The pool took one; the other is still there until it is closed.
    expect(warm.has(workerFile)).toBe(true);
    await warm.close();
    expect(warm.has(workerFile)).toBe(false);
    expect((await pool.compose(anna, '<warm-2@example.com>')).messageId).toBe('<warm-2@example.com>');
    expect(made).toBe(0);
  });

  it('composes here when a worker started ahead cannot prepare the campaign, and says why', async () => {
    const { ctx, warm } = withWarmWorkers(1);
    const gone = { ...options, templateId: 999 };
    let made = 0;
    const pool = new ComposePool(ctx, gone, () => (made++, prepareComposer(ctx, gone)), workerFile, 1, warm);
    cleanups.push(() => pool.close());
    await expect(pool.compose(anna, '<warm-3@example.com>')).rejects.toThrow(/template/i);
    expect(made).toBe(1);
    expect(pool.failure).toMatch(/template/i);
    expect(await pool.usesWorker()).toBe(false);
  });

  it('does not wait for a worker started ahead that is stopped before it is ready: it composes here', async () => {
    const { ctx, warm } = withWarmWorkers(1);
    const pool = new ComposePool(ctx, options, () => prepareComposer(ctx, options), workerFile, 1, warm);
    const composing = pool.compose(anna, '<warm-4@example.com>');
    await pool.close();
    expect((await composing).messageId).toBe('<warm-4@example.com>');
  });
});
