import type { DeviceRef, ErrorCode, WireError } from '../../src-shared/protocol/errors';

/**
 * A refusal the caller should see, with its wire code. Services throw it; the gateway turns it
 * into an HTTP `ErrorBody` or a WebSocket frame. Any other exception is answered as `internal`.
 */
export class ServiceError extends Error {
  override name = 'ServiceError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { missing?: DeviceRef[]; extra?: DeviceRef[]; stale?: DeviceRef[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  toWire(): WireError {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/** The wire form of any error; internal details stay in the server's own log. */
export function toWireError(error: unknown): WireError {
  return error instanceof ServiceError ? error.toWire() : { code: 'internal', message: 'internal server error' };
}

/** An error's class and message for the server's log: never a value that came from a client. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'non-error thrown';
}
