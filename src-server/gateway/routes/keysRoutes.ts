import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountIdSchema, deviceIdSchema } from '../../../src-shared/domain/ids';
import { HTTP_ROUTES } from '../../../src-shared/protocol/http';
import { preKeyBundleSchema, preKeyCountSchema, uploadPreKeysRequestSchema } from '../../../src-shared/protocol/keys';
import { deviceOf } from '../authHooks';
import type { RouteContext } from './routeContext';
import { BODY_LIMITS } from './routeContext';

/** A device id in a path: 1 to 3 digits, then the shared schema. */
export const deviceIdParamSchema = z
  .string()
  .regex(/^\d{1,3}$/, 'not a device id')
  .transform(Number)
  .pipe(deviceIdSchema);

/** Prekey upload and count (the calling device's own), and bundle fetches (another account's). */
export const keysRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { preKeys, auth }) => {
  app.put(
    HTTP_ROUTES.preKeys,
    { onRequest: auth.device, bodyLimit: BODY_LIMITS.keys, schema: { body: uploadPreKeysRequestSchema } },
    async (request, reply) => {
      await preKeys.upload(deviceOf(request), request.body);
      return reply.code(204).send();
    },
  );

  app.get(HTTP_ROUTES.preKeys, { onRequest: auth.device, schema: { response: { 200: preKeyCountSchema } } }, async (request) =>
    preKeys.count(deviceOf(request)),
  );

  app.get(
    `${HTTP_ROUTES.preKeyBundle}:accountId`,
    { onRequest: auth.device, schema: { params: z.object({ accountId: accountIdSchema }), response: { 200: preKeyBundleSchema } } },
    async (request) => preKeys.fetchBundle(deviceOf(request), request.params.accountId),
  );

  app.get(
    `${HTTP_ROUTES.preKeyBundle}:accountId/:deviceId`,
    {
      onRequest: auth.device,
      schema: { params: z.object({ accountId: accountIdSchema, deviceId: deviceIdParamSchema }), response: { 200: preKeyBundleSchema } },
    },
    async (request) => preKeys.fetchBundle(deviceOf(request), request.params.accountId, request.params.deviceId),
  );
};
