import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { addDeviceRequestSchema, HTTP_ROUTES, registerAccountResponseSchema } from '../../../src-shared/protocol/http';
import { accountOf } from '../authHooks';
import type { RouteContext } from './routeContext';
import { BODY_LIMITS } from './routeContext';

/** Adding a device (password auth). */
export const devicesRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { accounts, auth }) => {
  app.post(
    HTTP_ROUTES.addDevice,
    {
      onRequest: auth.password,
      bodyLimit: BODY_LIMITS.keys,
      schema: { body: addDeviceRequestSchema, response: { 201: registerAccountResponseSchema } },
    },
    async (request, reply) => reply.code(201).send(await accounts.addDevice(accountOf(request), request.body.device)),
  );
};
