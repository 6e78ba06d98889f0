import type { z } from 'zod';
import type { ErrorCode } from '../../src-shared/protocol/errors';
import { ServiceError } from '../services/serviceError';

/** The HTTP status of each wire error code. */
export const STATUS_OF: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  session_ended: 401,
  forbidden: 403,
  not_found: 404,
  username_taken: 409,
  too_many_devices: 409,
  identity_mismatch: 409,
  mismatched_devices: 409,
  stale_devices: 409,
  unsupported_version: 400,
  payload_too_large: 413,
  invalid_signature: 400,
  quota_exceeded: 507,
  rate_limited: 429,
  internal: 500,
};

/** Validates a value with a shared schema; refusals name the field, never its value. */
export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ServiceError('bad_request', describeIssues(result.error.issues));
  return result.data;
}

/** Up to three issues as `path: message`, for people reading the error. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return parts.join('; ').slice(0, 1_000);
}
