/**
 * Answers cross every boundary (IPC, WebSocket, in-process) as values, never as thrown errors:
 * Electron only carries `error.message` across IPC, so a thrown error would lose its code.
 */
import { z } from 'zod';
import { ERROR_CODES, PostroomError, type ErrorParams } from './errors';

export { PostroomError, type ErrorParams };

/** Every error code the UI and the command line may act on (listed in ./errors.ts). */
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppError = z.object({ code: ErrorCode, message: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional() });
export type AppError = z.infer<typeof AppError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** Turns anything thrown into an error value. Unknown errors keep their message but are marked INTERNAL. */
export function toAppError(err: unknown): AppError {
  if (err instanceof PostroomError) return { code: err.code, message: err.message, ...(err.params ? { params: err.params } : {}) };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Something went wrong inside Postroom: ${message}` };
}
