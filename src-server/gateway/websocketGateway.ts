import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { LIMITS } from '../../src-shared/domain/limits';
import type { ErrorBody } from '../../src-shared/protocol/errors';
import { HTTP_ROUTES } from '../../src-shared/protocol/http';
import { describeError, ServiceError, toWireError } from '../services/serviceError';
import type { Authenticator } from './auth';
import { STATUS_OF } from './httpMessages';
import { startWebsocketSession, type SessionServices, type WebsocketSession } from './websocketSession';

/**
 * Frames between LIMITS.frameMaxBytes and this size are answered with `payload_too_large` and
 * the socket carries on; past it `ws` stops reading and closes with 1009, since holding
 * arbitrarily large frames in memory is not an option.
 */
export const HARD_FRAME_LIMIT = LIMITS.frameMaxBytes * 2;

const CLOSE_GRACE_MS = 2_000;

const REASONS: Record<number, string> = { 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Answers an upgrade request with a plain HTTP error and hangs up. */
function refuseUpgrade(socket: Duplex, status: number, body: ErrorBody) {
  if (!socket.writable) return socket.destroy();
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(payload)}\r\n` +
      (status === 401 ? 'WWW-Authenticate: Basic realm="parley"\r\n' : '') +
      '\r\n' +
      payload,
  );
}

export type WebsocketGateway = {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket (1001) and waits for their work to finish. */
  close(): Promise<void>;
};

export function createWebsocketGateway(options: { authenticator: Authenticator; services: SessionServices }): WebsocketGateway {
  const { authenticator, services } = options;
  const { logger } = services;
  const server = new WebSocketServer({ noServer: true, maxPayload: HARD_FRAME_LIMIT, perMessageDeflate: false });
  const sessions = new Set<WebsocketSession>();
  let closing = false;

  return {
    handleUpgrade(request, socket, head) {
      socket.on('error', () => socket.destroy());
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path !== HTTP_ROUTES.websocket) {
        return refuseUpgrade(socket, 404, { error: { code: 'not_found', message: 'no such route' } });
      }
      authenticator
        .device(request.headers.authorization)
        .then((device) => {
          if (closing) return refuseUpgrade(socket, 503, { error: { code: 'internal', message: 'the server is shutting down' } });
          server.handleUpgrade(request, socket, head, (websocket) => {
            const session = startWebsocketSession(websocket, device, services);
            sessions.add(session);
            void session.settled().then(() => sessions.delete(session));
          });
        })
        .catch((error: unknown) => {
          if (!(error instanceof ServiceError)) logger.error('upgrade_failed', { error: describeError(error) });
          else logger.info('upgrade_refused', { code: error.code });
          const wire = toWireError(error);
          refuseUpgrade(socket, STATUS_OF[wire.code], { error: wire });
        });
    },

    async close() {
      closing = true;
      const open = [...sessions];
      for (const session of open) session.close(1001, 'server shutting down');
      // A peer that does not answer the closing handshake promptly is cut off.
      const cutOff = setTimeout(() => open.forEach((session) => session.close(1001, 'server shutting down', true)), CLOSE_GRACE_MS);
      await Promise.all(open.map((session) => session.settled()));
      clearTimeout(cutOff);
      server.close();
    },
  };
}
