import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Clock } from '../../src-shared/domain/runtime';
import type { AbuseLimits } from '../abuseLimits';
import { FixedWindowCounter } from '../services/abuse/fixedWindowCounter';
import { rateLimited } from '../services/abuse/rateLimited';
import type { AccountRecord } from '../storage/accountsRepository';
import type { AuthenticatedDevice } from '../services/deviceAuth';
import { ServiceError } from '../services/serviceError';
import type { Authenticator } from './auth';
import { sourceKeyOf } from './sourceKey';

declare module 'fastify' {
  // Declaration merging is how Fastify types what a hook attaches to a request.
  interface FastifyRequest {
    /** Set by the device-auth hook before the handler runs (and before any body is read). */
    authenticatedDevice?: AuthenticatedDevice;
    /** Set by the password-auth hook. */
    authenticatedAccount?: AccountRecord;
  }
}

/**
 * Route hooks that authenticate in `onRequest`, so no body of an unauthenticated request is ever
 * read or parsed. `either` accepts device credentials or the account password.
 */
export function createAuthHooks(
  authenticator: Authenticator,
  options: { clock: Clock; limits: Pick<AbuseLimits, 'passwordAttemptsPerSourcePerMinute'> },
) {
  // Before any Argon2id work: one source cannot queue hashes by trying many usernames.
  const attemptsPerSource = new FixedWindowCounter({
    clock: options.clock,
    limit: options.limits.passwordAttemptsPerSourcePerMinute,
    windowMs: 60_000,
  });
  const checkPassword = async (request: FastifyRequest) => {
    const wait = attemptsPerSource.hit(sourceKeyOf(request.ip));
    if (wait !== undefined) throw rateLimited('too many password attempts from this address; try again later', wait);
    request.authenticatedAccount = await authenticator.password(request.headers.authorization, sourceKeyOf(request.ip));
  };
  const device: onRequestAsyncHookHandler = async (request: FastifyRequest, _reply: FastifyReply) => {
    request.authenticatedDevice = await authenticator.device(request.headers.authorization);
  };
  const password: onRequestAsyncHookHandler = async (request: FastifyRequest, _reply: FastifyReply) => checkPassword(request);
  const either: onRequestAsyncHookHandler = async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (authenticator.isDeviceCredentials(header)) request.authenticatedDevice = await authenticator.device(header);
    else await checkPassword(request);
  };
  return { device, password, either };
}

/** The device the hook authenticated; a route without the hook is a programming error. */
export function deviceOf(request: FastifyRequest): AuthenticatedDevice {
  if (!request.authenticatedDevice) throw new ServiceError('unauthorized', 'device credentials required');
  return request.authenticatedDevice;
}

export function accountOf(request: FastifyRequest): AccountRecord {
  if (!request.authenticatedAccount) throw new ServiceError('unauthorized', 'username and password required');
  return request.authenticatedAccount;
}
