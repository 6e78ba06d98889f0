import type { FastifyPluginAsync } from 'fastify';
import type { ServerMetrics } from '../../metrics';
import { ServiceError } from '../../services/serviceError';

/**
 * `GET /metrics`: Prometheus text (counts and latencies, no identifiers). Where it is not exposed
 * (by default: a public listen address) it answers as a route that does not exist.
 */
export const metricsRoutes: FastifyPluginAsync<{ metrics: ServerMetrics; exposed: () => boolean }> = async (app, { metrics, exposed }) => {
  app.get('/metrics', async (_request, reply) => {
    if (!exposed()) throw new ServiceError('not_found', 'no such route');
    return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(await metrics.render());
  });
};
