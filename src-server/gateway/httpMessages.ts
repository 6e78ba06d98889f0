import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { LIMITS } from '../../src-shared/domain/limits';
import type { ErrorBody, ErrorCode } from '../../src-shared/protocol/errors';
import { ServiceError, toWireError } from '../services/serviceError';

/** The HTTP status of each wire error code. */
export const STATUS_OF: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
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

/** Past this many bytes we stop draining an oversized body and drop the connection. */
const DRAIN_LIMIT = LIMITS.frameMaxBytes * 4;

/**
 * Reads a request body of at most LIMITS.frameMaxBytes. A larger one is read to its end and
 * discarded (so the client reads our 413 rather than a reset), unless it is absurdly large.
 */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > DRAIN_LIMIT) {
      request.destroy();
      reject(new ServiceError('payload_too_large', `a body has at most ${LIMITS.frameMaxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT) request.destroy();
      else if (size <= LIMITS.frameMaxBytes) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > LIMITS.frameMaxBytes) reject(new ServiceError('payload_too_large', `a body has at most ${LIMITS.frameMaxBytes} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
    request.on('close', () => reject(new ServiceError('bad_request', 'the request ended early')));
  });
}

/** Parses JSON and validates it with a shared schema; refusals name the field, never its value. */
export function parseWith<Schema extends z.ZodType>(schema: Schema, text: string): z.infer<Schema> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ServiceError('bad_request', 'the body is not JSON');
  }
  return validate(schema, value);
}

export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ServiceError('bad_request', describeIssues(result.error));
  return result.data;
}

/** Up to three issues as `path: message`, for people reading the error. */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return parts.join('; ').slice(0, 1_000);
}

export function sendJson(response: ServerResponse, status: number, body?: unknown): void {
  if (response.headersSent) return;
  if (body === undefined) {
    response.writeHead(status, { 'cache-control': 'no-store' }).end();
    return;
  }
  const payload = JSON.stringify(body);
  response
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      'cache-control': 'no-store',
    })
    .end(payload);
}

export function sendError(response: ServerResponse, error: unknown): number {
  const wire = toWireError(error);
  const status = STATUS_OF[wire.code];
  if (status === 401) response.setHeader('www-authenticate', 'Basic realm="parley"');
  const body: ErrorBody = { error: wire };
  sendJson(response, status, body);
  return status;
}
