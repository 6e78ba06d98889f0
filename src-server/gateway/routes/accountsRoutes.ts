import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountIdSchema, usernameSchema } from '../../../src-shared/domain/ids';
import {
  changeUsernameRequestSchema,
  freshStartRequestSchema,
  HTTP_ROUTES,
  lookupAccountResponseSchema,
  registerAccountRequestSchema,
  registerAccountResponseSchema,
} from '../../../src-shared/protocol/http';
import { accountOf, deviceOf } from '../authHooks';
import type { RouteContext } from './routeContext';
import { BODY_LIMITS, perSourcePerHour } from './routeContext';

/** Registration (no auth, limited per source address), a fresh start (password), a username change and account look-ups (device auth). */
export const accountsRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { accounts, freshStart, auth, limits }) => {
  app.post(
    HTTP_ROUTES.registerAccount,
    {
      bodyLimit: BODY_LIMITS.keys,
      config: perSourcePerHour(limits.registrationsPerSourcePerHour, 'registrations'),
      schema: { body: registerAccountRequestSchema, response: { 201: registerAccountResponseSchema } },
    },
    async (request, reply) => reply.code(201).send(await accounts.register(request.body)),
  );

  app.post(
    HTTP_ROUTES.freshStart,
    {
      onRequest: auth.password,
      bodyLimit: BODY_LIMITS.keys,
      // Beyond the password back-off: the password alone ends every device, so a source gets few tries.
      config: perSourcePerHour(limits.freshStartsPerSourcePerHour, 'fresh starts'),
      schema: { body: freshStartRequestSchema, response: { 201: registerAccountResponseSchema } },
    },
    async (request, reply) => reply.code(201).send(await freshStart.startFresh(accountOf(request), request.body.device)),
  );

  app.get(
    HTTP_ROUTES.lookupAccount,
    {
      onRequest: auth.device,
      schema: { querystring: z.object({ username: usernameSchema }), response: { 200: lookupAccountResponseSchema } },
    },
    async (request) => accounts.lookup(request.query.username),
  );

  app.put(
    HTTP_ROUTES.username,
    {
      onRequest: auth.device,
      bodyLimit: BODY_LIMITS.small,
      // Names are scarce: a source cannot churn through them to squat or to probe which are taken.
      config: perSourcePerHour(limits.registrationsPerSourcePerHour, 'username changes'),
      schema: { body: changeUsernameRequestSchema, response: { 200: lookupAccountResponseSchema } },
    },
    async (request) => accounts.changeUsername(deviceOf(request).accountId, request.body.username),
  );

  // A static segment wins over a parameter, so `/v1/accounts/lookup` is never taken for an id.
  app.get(
    `${HTTP_ROUTES.accountById}:accountId`,
    {
      onRequest: auth.device,
      schema: { params: z.object({ accountId: accountIdSchema }), response: { 200: lookupAccountResponseSchema } },
    },
    async (request) => accounts.describe(request.params.accountId),
  );
};
