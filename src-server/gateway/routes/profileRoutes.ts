import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AVATAR_CIPHERTEXT_MAX_BYTES,
  PROFILE_ROUTES,
  profileParamsSchema,
  profileResponseSchema,
  putAvatarRequestSchema,
  putProfileRequestSchema,
} from '../../../src-shared/protocol/profile';
import type { ProfilesService } from '../../services/profiles';
import { deviceOf } from '../authHooks';
import type { RouteContext } from './routeContext';

/** Sealed profiles (A2) and avatars (A4), with device credentials. */
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

  app.put(
    PROFILE_ROUTES.avatar,
    { onRequest: auth.device, bodyLimit: Math.ceil((AVATAR_CIPHERTEXT_MAX_BYTES * 4) / 3) + 1024, schema: { body: putAvatarRequestSchema } },
    async (request, reply) => {
      await profiles.putAvatar(deviceOf(request), request.body);
      return reply.code(204).send();
    },
  );

  app.delete(PROFILE_ROUTES.avatar, { onRequest: auth.device }, async (request, reply) => {
    await profiles.deleteAvatar(deviceOf(request));
    return reply.code(204).send();
  });

  app.get(
    `${PROFILE_ROUTES.avatarOfAccount}:accountId/:version`,
    { onRequest: auth.device, schema: { params: profileParamsSchema, response: { 200: profileResponseSchema } } },
    async (request) => profiles.getAvatar(request.params.accountId, request.params.version),
  );
};
