/**
 * Answers cross every boundary (IPC, WebSocket, in-process) as values, never as thrown errors:
 * Electron only carries `error.message` across IPC, so a thrown error would lose its code.
 */
import { z } from 'zod';

/** Every error code the UI and the command line may act on. One list, so both sides can switch on it. */
export const ErrorCode = z.enum([
  'INVALID_INPUT', // the request did not match the contract
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT', // the operation does not fit the current state (e.g. editing a sending campaign)
  'DATA_NEWER', // the database was written by a newer Postroom
  'DATA_CORRUPT', // the database file is damaged or not a Postroom database
  'DATA_UNREADABLE', // the data folder or file can't be read or written (permissions, disk)
  'FILE_UNREADABLE', // an input file (spreadsheet, template, attachment) can't be read
  'IMPORT_FAILED',
  'TEMPLATE_INVALID',
  'AUTH_FAILED',
  'RELAY_UNREACHABLE',
  'TLS_FAILED',
  'DNS_FAILED',
  'SEND_FAILED',
  'CANCELLED',
  'UNSUPPORTED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppError = z.object({ code: ErrorCode, message: z.string() });
export type AppError = z.infer<typeof AppError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** An error a person reads: what happened, why, and what to do. Carries a code the UI can act on. */
export class PostroomError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PostroomError';
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** Turns anything thrown into an error value. Unknown errors keep their message but are marked INTERNAL. */
export function toAppError(err: unknown): AppError {
  if (err instanceof PostroomError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Something went wrong inside Postroom: ${message}` };
}
