import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PROFILE_ROUTES, profileParamsSchema, profileResponseSchema, putProfileRequestSchema } from '../../../src-shared/protocol/profile';
import type { ProfilesService } from '../../services/profiles';
import { deviceOf } from '../authHooks';
import type { RouteContext } from './routeContext';

/** Sealed profiles (A2), with device credentials. */
export const profileRoutes: FastifyPluginAsyncZod<RouteContext & { profiles: ProfilesService }> = async (app, { profiles, auth }) => {
  app.put(PROFILE_ROUTES.self, { onRequest: auth.device, bodyLimit: 16 * 1024, schema: { body: putProfileRequestSchema } }, async (request, reply) => {
    await profiles.put(deviceOf(request), request.body);
    return reply.code(204).send();
  });

  app.get(
    `${PROFILE_ROUTES.ofAccount}:accountId/:version`,
    { onRequest: auth.device, schema: { params: profileParamsSchema, response: { 200: profileResponseSchema } } },
    async (request) => profiles.get(request.params.accountId, request.params.version),
  );
};
