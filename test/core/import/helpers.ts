/** Test helpers: a service on a temp data folder, fixture files written by the tests themselves. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { createService, type Service } from '../../../electron/core/service';
import { dispatch } from '../../../shared/router';
import type { Channel, Input, Output } from '../../../shared/contract';
import type { AppError } from '../../../shared/result';

export function tempDir(prefix = 'postroom-import-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Harness {
  service: Service;
  dir: string;
  /** Writes a fixture file (text in the given encoding, or bytes). */
  file(name: string, content: string | Buffer, encoding?: string): string;
  xlsx(name: string, sheets: Record<string, unknown[][]>): Promise<string>;
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  fail<C extends Channel>(channel: C, input: Input<C>): Promise<AppError>;
  close(): Promise<void>;
}

export function harness(): Harness {
  const dir = tempDir();
  const service = createService({ dataDir: path.join(dir, 'data'), host: 'test' });
  return {
    service,
    dir,
    file(name, content, encoding = 'utf-8') {
      const p = path.join(dir, name);
      fs.writeFileSync(p, typeof content === 'string' ? iconv.encode(content, encoding) : content);
      return p;
    },
    async xlsx(name, sheets) {
      const wb = new ExcelJS.Workbook();
      for (const [sheet, rows] of Object.entries(sheets)) {
        const ws = wb.addWorksheet(sheet);
        rows.forEach((r, i) => {
          if (r.length) ws.getRow(i + 1).values = r as ExcelJS.CellValue[];
        });
      }
      const p = path.join(dir, name);
      await wb.xlsx.writeFile(p);
      return p;
    },
    async call(channel, input) {
      const r = await dispatch(service.handlers, channel, input);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    async fail(channel, input) {
      const r = await dispatch(service.handlers, channel, input);
      if (r.ok) throw new Error(`${channel} succeeded but should have failed`);
      return r.error;
    },
    async close() {
      await service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every recipient of a list, as `email` plus fields, ordered by address. */
export async function recipientsOf(h: Harness, listId: number): Promise<Array<Record<string, string | null>>> {
  const page = await h.call('lists:recipients', { id: listId, limit: 1000 });
  return page.recipients.map((r) => ({ email: r.email, name: r.name, ...r.fields }));
}
