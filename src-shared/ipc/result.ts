// zod/mini, as webBridgeFrames.ts (which uses this) says why.
import * as z from 'zod/mini';

/**
 * Errors are values at the bridge (CONVENTIONS habit 13): every method resolves with a Result,
 * never rejects for an expected failure. `code` is for code, `message` for people.
 */
export const ipcErrorCodeSchema = z.enum([
  'invalid_argument',
  'not_signed_in',
  'already_signed_in',
  'wrong_password',
  'username_taken',
  'not_found',
  'too_long',
  'unreachable',
  'profile_in_use',
  'internal',
]);
export type IpcErrorCode = z.infer<typeof ipcErrorCodeSchema>;

export type IpcError = { code: IpcErrorCode; message: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const failure = (code: IpcErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });
