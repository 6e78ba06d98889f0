import type { FastifyPluginAsync } from 'fastify';
import { HTTP_ROUTES } from '../../src-shared/protocol/http';
import { ServiceError } from '../services/serviceError';
import { deviceOf, type createAuthHooks } from './authHooks';
import { startWebsocketSession, type SessionServices, type WebsocketSession } from './websocketSession';

const CLOSE_GRACE_MS = 2_000;

export type WebsocketRouteOptions = {
  auth: ReturnType<typeof createAuthHooks>;
  services: SessionServices;
};

/**
 * The device socket: `GET /v1/websocket` with device credentials, authenticated in `onRequest`
 * before the upgrade (a refusal is a plain HTTP error body). On shutdown every socket gets 1001
 * and its frames' work is awaited; a peer that does not finish the closing handshake is cut off.
 */
export const websocketRoute: FastifyPluginAsync<WebsocketRouteOptions> = async (app, { auth, services }) => {
  const sessions = new Set<WebsocketSession>();
  let closing = false;

  app.addHook('preClose', async () => {
    closing = true;
    const open = [...sessions];
    for (const session of open) session.close(1001, 'server shutting down');
    const cutOff = setTimeout(() => open.forEach((session) => session.close(1001, 'server shutting down', true)), CLOSE_GRACE_MS);
    await Promise.all(open.map((session) => session.settled()));
    clearTimeout(cutOff);
  });

  app.get(
    HTTP_ROUTES.websocket,
    {
      websocket: true,
      onRequest: [
        auth.device,
        async () => {
          if (closing) throw new ServiceError('internal', 'the server is shutting down');
        },
      ],
    },
    (socket, request) => {
      const session = startWebsocketSession(socket, deviceOf(request), services);
      sessions.add(session);
      void session.settled().then(() => sessions.delete(session));
    },
  );
};
