import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HTTP_ROUTES } from '../../../src-shared/protocol/http';
import { PROTOCOL_VERSION } from '../../../src-shared/protocol/version';

/** Liveness, without auth. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    HTTP_ROUTES.health,
    { schema: { response: { 200: z.object({ ok: z.literal(true), protocolVersion: z.number() }) } } },
    async () => ({ ok: true as const, protocolVersion: PROTOCOL_VERSION }),
  );
};
