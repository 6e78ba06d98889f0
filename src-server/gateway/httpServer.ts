import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock, Logger } from '../../src-shared/domain/runtime';
import type { AbuseLimits } from '../abuseLimits';
import type { ServerMetrics } from '../metrics';
import type { AccountsService } from '../services/accounts';
import type { DevicesService } from '../services/devices';
import type { PreKeysService } from '../services/preKeys';
import { describeError } from '../services/serviceError';
import type { Authenticator } from './auth';
import { createAuthHooks } from './authHooks';
import { limitConnections } from './connectionLimits';
import { sourceKeyOf } from './sourceKey';
import { hangUpAfterRefusedUpgrade, installErrorHandling, replyWithError, wireErrorOf } from './errorHandler';
import { accountsRoutes } from './routes/accountsRoutes';
import { devicesRoutes } from './routes/devicesRoutes';
import { linkingRoutes } from './routes/linkingRoutes';
import { archiveRoutes } from './routes/archiveRoutes';
import { phoneRoutes } from './routes/phoneRoutes';
import { profileRoutes } from './routes/profileRoutes';
import { healthRoutes } from './routes/healthRoutes';
import { keysRoutes } from './routes/keysRoutes';
import { metricsRoutes } from './routes/metricsRoutes';
import { BODY_LIMITS } from './routes/routeContext';
import { HARD_FRAME_LIMIT, isClientProtocolError } from './websocketLimits';
import { websocketRoute } from './websocketRoute';
import type { SessionServices } from './websocketSession';
import type { LinkingService } from '../services/linking';
import type { FreshStartService } from '../services/freshStart';
import type { ArchiveService } from '../services/archive';
import type { PhoneNumbersService } from '../services/phoneNumbers';
import type { ProfilesService } from '../services/profiles';

/** PEM certificate and key: the server speaks HTTPS and WSS itself. */
export type TlsFiles = { cert: Buffer; key: Buffer };

export type GatewayOptions = {
  accounts: AccountsService;
  devices: DevicesService;
  linking: LinkingService;
  freshStart: FreshStartService;
  archive: ArchiveService;
  profiles: ProfilesService;
  phoneNumbers: PhoneNumbersService;
  preKeys: PreKeysService;
  authenticator: Authenticator;
  session: SessionServices;
  logger: Logger;
  clock: Clock;
  limits: AbuseLimits;
  metrics: ServerMetrics;
  /** Whether `/metrics` answers (asked per request; otherwise it is `not_found`); 'loopback-peers': only to local peers. */
  metricsExposed: () => boolean | 'loopback-peers';
  tls?: TlsFiles;
  trustProxy?: string;
};

/** The pieces of node:http's server that bound a slow or silent client. */
function serverTimeouts(limits: AbuseLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    // How often node checks the two timeouts above (its default, 30 s, would let them slip).
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    keepAliveTimeout: 5_000,
  };
}

/**
 * The HTTP and WebSocket gateway on Fastify: one plugin per area, request and reply schemas from
 * src-shared through the zod type provider, per-route body limits, one error handler, and the
 * device socket through @fastify/websocket. Fastify's own logger is off: requests are logged here,
 * by route template, method, status and duration only (never an address, a path's ids or a body).
 */
export async function createGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const { logger, limits, metrics } = options;
  const timeouts = serverTimeouts(limits);
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMITS.small,
    routerOptions: { maxParamLength: 100 },
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
    // Bytes that are not HTTP, or headers that come too slowly: a bare status, then hang up.
    clientErrorHandler: (error, socket) => {
      const code = (error as NodeJS.ErrnoException).code;
      const status = code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      // Destroyed once written: the connection's slot is free before the client even sees the end.
      if (socket.writable && !socket.writableEnded) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
      else socket.destroy();
    },
    // A path that is not a URL (`//%zz`) is refused before routing: answered here, like every error.
    frameworkErrors: (error, request, reply) => {
      hangUpAfterRefusedUpgrade(request);
      void replyWithError(reply, wireErrorOf(error).wire);
    },
    forceCloseConnections: 'idle',
    requestTimeout: timeouts.requestTimeout,
    keepAliveTimeout: timeouts.keepAliveTimeout,
    serverFactory: (handler) => {
      const server: Server = options.tls
        ? createHttpsServer(
            { ...timeouts, cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2', handshakeTimeout: limits.headersTimeoutMs },
            handler,
          )
        : createHttpServer(timeouts, handler);
      // Behind a reverse proxy every connection comes from the proxy: the proxy caps per client.
      limitConnections(server, { ...limits, perSource: options.trustProxy === undefined }, () =>
        metrics.refusals.inc({ code: 'connection_limit' }),
      );
      return server;
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, logger);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const durationMs = reply.elapsedTime;
    metrics.httpRequestDuration.observe({ route, method: request.method, status: String(reply.statusCode) }, durationMs / 1000);
    if (reply.statusCode === 429 || reply.statusCode === 507) metrics.refusals.inc({ code: reply.statusCode === 429 ? 'rate_limited' : 'quota_exceeded' });
    logger.info('http_request', { route, method: request.method, status: reply.statusCode, durationMs: Math.round(durationMs) });
  });

  const auth = createAuthHooks(options.authenticator, { clock: options.clock, limits });
  const context = { accounts: options.accounts, devices: options.devices, freshStart: options.freshStart, preKeys: options.preKeys, auth, limits };

  // Keyed by address in memory only (the default store); only routes that ask for it are limited.
  await app.register(rateLimit, { global: false, keyGenerator: (request) => sourceKeyOf(request.ip), addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false } });
  await app.register(websocket, {
    options: { maxPayload: HARD_FRAME_LIMIT, perMessageDeflate: false },
    // Our preClose (in websocketRoute) closes device sockets with 1001 and waits for their work.
    preClose: (done) => done(),
    errorHandler: (error, socket) => {
      // The session logs a peer's protocol violations itself (once, at info).
      const { unexpected } = wireErrorOf(error);
      if (unexpected && !isClientProtocolError(error)) logger.warn('socket_failed', { error: describeError(error) });
      socket.terminate();
    },
  });
  await app.register(healthRoutes);
  await app.register(accountsRoutes, context);
  await app.register(devicesRoutes, context);
  await app.register(linkingRoutes, { ...context, linking: options.linking });
  await app.register(archiveRoutes, { ...context, archive: options.archive });
  await app.register(profileRoutes, { ...context, profiles: options.profiles });
  await app.register(phoneRoutes, { ...context, phoneNumbers: options.phoneNumbers });
  await app.register(keysRoutes, context);
  await app.register(websocketRoute, { auth, services: options.session });
  await app.register(metricsRoutes, { metrics, exposed: options.metricsExposed });
  return app;
}
