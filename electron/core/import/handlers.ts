/**
 * The contract's recipient requests: lists, import (preview, run, cancel, skipped rows), browsing, suppression.
 * Running imports are tracked here so that they can be cancelled and are stopped when the service closes.
 */
import crypto from 'node:crypto';
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { Handlers } from '../../../shared/contract';
import type { recipientsContract } from '../../../shared/contract/recipients';
import { PostroomError } from '../../../shared/errors';
import { parseAddress } from '../../../shared/email-address';
import { allLists, createList, deleteList, getList, renameList, resolveList } from '../store/lists';
import { discardAbandonedImports, listStats, recipientPage, removeRecipients } from '../store/recipients';
import { addSuppressions, listSuppressions, removeSuppressions } from '../store/suppressions';
import { importFile, importSuppressions, previewImport, skippedFileName, type SkippedDetail } from './importer';
import { prestartImportWorker } from './worker-feed';
import { toCsv } from '../../../shared/csv';
import { discardUpload } from '../uploads';
import { attachmentsFolderOrNone } from '../compose/attachments';

type RecipientHandlers = Pick<Handlers, keyof typeof recipientsContract>;

/** How many finished imports keep their skipped rows for `lists:skippedCsv`. */
const KEEP_FINISHED = 5;

export function recipientsHandlers(ctx: CoreContext, onClose: (c: Closer) => void): RecipientHandlers {
  const running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  const finished = new Map<string, { fileName: string; headers: string[]; skipped: SkippedDetail[] }>();
  onClose(async () => {
    for (const r of running.values()) r.controller.abort();
    await Promise.allSettled([...running.values()].map((r) => r.done));
  });
  // An import whose process died (crash, kill) left its hidden staging list behind: clear those away.
  discardAbandonedImports(ctx.db, ctx.clock.now());
  const changed = (listId: number | null) => ctx.events.emit('lists:changed', { listId });

  return {
    'lists:list': () => allLists(ctx.db),
    'lists:find': ({ list }) => resolveList(ctx.db, list),
    'lists:create': ({ name }) => {
      const list = createList(ctx.db, name, ctx.clock.now());
      changed(list.id);
      return list;
    },
    'lists:rename': ({ id, name }) => {
      const list = renameList(ctx.db, id, name, ctx.clock.now());
      changed(id);
      return list;
    },
    'lists:delete': ({ id }) => {
      const deleted = deleteList(ctx.db, id);
      changed(id);
      return { deleted };
    },
    'lists:recipients': ({ id, search, offset, limit }) => {
      getList(ctx.db, id);
      return recipientPage(ctx.db, id, { search, offset, limit });
    },
    // getList answers NOT_FOUND for a list an import is still filling (lists.importing is set): it isn't a list yet.
    'lists:stats': ({ id }) => listStats(ctx.db, getList(ctx.db, id)),
    'lists:removeRecipients': ({ id, recipientIds }) => {
      getList(ctx.db, id);
      const removed = removeRecipients(ctx.db, id, recipientIds);
      if (removed) changed(id);
      return { removed };
    },
    'lists:previewImport': (input) => {
      // The wizard's next step is the import: its worker starts now, while the user checks the mapping.
      void prestartImportWorker().catch(() => undefined);
      return previewImport(input);
    },
    'lists:import': async (input) => {
      const importId = input.importId ?? crypto.randomUUID();
      if (running.has(importId)) throw new PostroomError('CONFLICT', `An import with id "${importId}" is already running. Use a new id for each import.`);
      const controller = new AbortController();
      const { attachmentsFolder, ...request } = input;
      const work = importFile(ctx.db, {
        ...request,
        attachmentsDir: attachmentsFolder === undefined ? undefined : attachmentsFolderOrNone(ctx, attachmentsFolder),
        importId,
        now: () => ctx.clock.now(),
        signal: controller.signal,
        onProgress: (p) => ctx.events.emit('lists:importProgress', p),
      });
      running.set(importId, { controller, done: work.catch(() => undefined) });
      try {
        const result = await work;
        finished.set(importId, { fileName: skippedFileName(input.path), headers: result.headers, skipped: result.skipped });
        while (finished.size > KEEP_FINISHED) finished.delete(finished.keys().next().value!);
        changed(result.summary.listId);
        return result.summary;
      } finally {
        running.delete(importId);
        // An uploaded copy is needed no more, however the import ended (the window uploads again to retry).
        discardUpload(ctx.dataDir, input.path);
      }
    },
    'lists:cancelImport': ({ importId }) => {
      const r = running.get(importId);
      if (!r) return { cancelled: false };
      r.controller.abort();
      return { cancelled: true };
    },
    'lists:skippedCsv': ({ importId }) => {
      const f = finished.get(importId);
      if (!f) throw new PostroomError('NOT_FOUND', 'The skipped rows of that import are no longer kept (Postroom keeps those of the last few imports while it runs). Import the file again to see them.');
      const headers = f.headers.map((h, i) => h || `Column ${i + 1}`);
      const rows = f.skipped.map((s) => [String(s.row), s.reason, ...(s.cells ?? [])]);
      return { fileName: f.fileName, csv: toCsv([['Row', 'Reason', ...headers], ...rows], { bom: true }) };
    },
    'suppressions:list': ({ search, offset, limit }) => ({ ...listSuppressions(ctx.db, { search, offset, limit }), offset }),
    'suppressions:add': ({ emails, reason }) => {
      const entries = emails.map((e) => {
        const p = parseAddress(e);
        if (!p.ok) throw new PostroomError('INVALID_INPUT', `Nothing was suppressed: ${p.reason}.`);
        return { email: p.address, key: p.key };
      });
      const result = addSuppressions(ctx.db, entries, reason ?? null, ctx.clock.now());
      if (result.added) ctx.events.emit('suppressions:changed', {});
      return result;
    },
    'suppressions:remove': ({ emails }) => {
      const removed = removeSuppressions(ctx.db, emails);
      if (removed) ctx.events.emit('suppressions:changed', {});
      return { removed };
    },
    'suppressions:import': async (input) => {
      try {
        const result = await importSuppressions(ctx.db, input, ctx.clock.now());
        if (result.added) ctx.events.emit('suppressions:changed', {});
        return result;
      } finally {
        discardUpload(ctx.dataDir, input.path);
      }
    },
  };
}
