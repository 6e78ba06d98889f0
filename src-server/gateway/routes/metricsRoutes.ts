import type { FastifyPluginAsync } from 'fastify';
import type { ServerMetrics } from '../../metrics';
import { isLoopbackHost } from '../../loopback';
import { ServiceError } from '../../services/serviceError';

/**
 * `GET /metrics`: Prometheus text (counts and latencies, no identifiers). Where it is not exposed
 * (by default: a public listen address) it answers as a route that does not exist.
 */
export const metricsRoutes: FastifyPluginAsync<{ metrics: ServerMetrics; exposed: () => boolean | 'loopback-peers' }> = async (
  app,
  { metrics, exposed },
) => {
  app.get('/metrics', async (request, reply) => {
    const mode = exposed();
    // On loopback, a request a reverse proxy forwarded is not a local one.
    const localPeer = isLoopbackHost(request.socket.remoteAddress ?? '') && request.headers['x-forwarded-for'] === undefined;
    if (mode === false || (mode === 'loopback-peers' && !localPeer)) throw new ServiceError('not_found', 'no such route');
    return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(await metrics.render());
  });
};
