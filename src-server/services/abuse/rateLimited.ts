import { ServiceError } from '../serviceError';

/** A `rate_limited` refusal; the gateway answers it with 429 and Retry-After (whole seconds, at least 1). */
export function rateLimited(message: string, retryAfterMs: number): ServiceError {
  return new ServiceError('rate_limited', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
}
