import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Logger } from '../../src-shared/domain/runtime';
import type { ErrorBody, WireError } from '../../src-shared/protocol/errors';
import { describeError, ServiceError, toWireError } from '../services/serviceError';
import { describeIssues, STATUS_OF } from './httpMessages';

/** Fastify's own refusals (body parsing, limits, routing) as wire errors; undefined for anything else. */
function fromFastify(error: FastifyError): ServiceError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ServiceError('payload_too_large', 'the body is larger than this route accepts');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ServiceError('bad_request', 'the body is not JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ServiceError('bad_request', 'the body must be JSON with content-type application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_ENCODING':
      return new ServiceError('bad_request', 'content-encoding is not accepted');
    case 'FST_ERR_BAD_URL':
      return new ServiceError('bad_request', 'the path is not a valid URL');
    default:
      break;
  }
  // A refusal Fastify or a plugin sent for the client's bytes (a 4xx), worded by us.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return error.statusCode === 429
      ? new ServiceError('rate_limited', 'too many requests; try again later')
      : new ServiceError('bad_request', 'the request was refused');
  }
  return undefined;
}

/** Any error as the wire error a client sees: validation issues name the field, never its value. */
export function wireErrorOf(error: unknown): { wire: WireError; unexpected: boolean } {
  if (error instanceof ServiceError) return { wire: error.toWire(), unexpected: false };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    const issues = error.validation.map((issue) => ({
      path: issue.instancePath.split('/').filter((part) => part !== ''),
      message: issue.message ?? 'invalid',
    }));
    const described = describeIssues(issues);
    return { wire: { code: 'bad_request', message: context === 'body' || !context ? described : `${context}: ${described}` }, unexpected: false };
  }
  const known = error instanceof Error ? fromFastify(error as FastifyError) : undefined;
  if (known) return { wire: known.toWire(), unexpected: false };
  return { wire: toWireError(error), unexpected: true };
}

/** Sends a wire error as the typed ErrorBody, with Retry-After and WWW-Authenticate where they apply. */
export function replyWithError(reply: FastifyReply, wire: WireError): FastifyReply {
  const status = STATUS_OF[wire.code];
  if (status === 401) void reply.header('www-authenticate', 'Basic realm="parley"');
  if (wire.retryAfterSeconds !== undefined) void reply.header('retry-after', String(wire.retryAfterSeconds));
  const body: ErrorBody = { error: wire };
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
}

/**
 * The one error handler and the one not-found handler: every refusal is the typed ErrorBody, no
 * answer ever carries a stack trace, and only unexpected failures are logged (by class and
 * message, never a value the client sent).
 */
export function installErrorHandling(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error, request, reply) => {
    const { wire, unexpected } = wireErrorOf(error);
    if (unexpected) logger.error('http_handler_failed', { route: request.routeOptions.url ?? 'unmatched', error: describeError(error) });
    hangUpAfterRefusedUpgrade(request);
    return replyWithError(reply, wire);
  });
  app.setNotFoundHandler((request, reply) => {
    hangUpAfterRefusedUpgrade(request);
    return replyWithError(reply, { code: 'not_found', message: 'no such route' });
  });
}

/**
 * A refused WebSocket upgrade leaves a socket that node:http no longer reads or tracks: without
 * this it would stay open (and hold up shutdown) until the peer chose to go. It is ended once the
 * refusal is written, and destroyed if the peer does not take it within a second.
 */
export function hangUpAfterRefusedUpgrade(request: FastifyRequest): void {
  if (request.headers.upgrade === undefined) return;
  const socket = request.raw.socket;
  setImmediate(() => {
    socket.end(() => socket.destroy());
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
}
