/**
 * The core's own sentences by code (issue 15): what the core stores or sends for a person to read (why a campaign
 * paused, why a mailbox check failed, Postroom's note on an attempt) is built in one place from its parameters.
 * The English goes where it always went, so the command line prints it as before; the code and parameters go
 * beside it (a `…_note` column holds them as JSON), and the window words the same sentence in its language from
 * `core.<code>` in its catalog. A row written before a sentence had a code has no note: the window shows its English.
 *
 * Each area keeps a table of its sentences (outbox/notes.ts, mailbox/notes.ts); test/renderer/i18n/core-notes.test.ts
 * keeps the catalog's English equal to them.
 */
import type { CoreNote } from '../../shared/contract/sending';
import { PostroomError, type ErrorCode, type ErrorParams } from '../../shared/errors';

export type { CoreNote };
export type NoteParams = CoreNote['params'];

/** Sentences by code: each builds the English from its parameters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry names its own parameters
export type Sentences = Record<string, (params: any) => string>;

/** A sentence both ways: the English, and its code with the parameters. */
export interface Worded {
  text: string;
  note: CoreNote;
}

/** Builds one sentence of a table: its English and its note. (Each area wraps it with its table's own types.) */
export function word(sentences: Sentences, code: string, params: object = {}): Worded {
  return { text: sentences[code]!(params), note: { code, params: params as NoteParams } };
}

/**
 * An error from a table whose codes are `ERROR_CODE.reason` (the window's catalog has `core.ERROR_CODE.reason`):
 * the error carries the reason and the parameters, so the window words it wherever it shows it.
 */
export function codedError<S extends Sentences, C extends keyof S & `${ErrorCode}.${string}`>(sentences: S, code: C, params: Parameters<S[C]>[0]): PostroomError {
  const [errorCode, reason] = code.split('.') as [ErrorCode, string];
  return new PostroomError(errorCode, sentences[code]!(params), { ...(params as ErrorParams), reason });
}

/** The note of an error that carries its parameters (the window words it from `core.<code>` or `core.<code>.<reason>`). */
export function noteOfError(err: unknown): CoreNote | null {
  return err instanceof PostroomError && err.params ? { code: err.code, params: err.params } : null;
}

/** A note as stored in a `…_note` column. */
export function noteJson(note: CoreNote | null | undefined): string | null {
  return note ? JSON.stringify(note) : null;
}

/** A stored note, or undefined when there is none (a row from before it had one) or it isn't a note. */
export function readNote(json: string | null | undefined): CoreNote | undefined {
  if (!json) return undefined;
  try {
    const v = JSON.parse(json) as Partial<CoreNote> | null;
    return v && typeof v.code === 'string' && v.params && typeof v.params === 'object' ? { code: v.code, params: v.params } : undefined;
  } catch {
    return undefined;
  }
}
