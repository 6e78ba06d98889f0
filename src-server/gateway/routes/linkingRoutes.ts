import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { registerAccountResponseSchema } from '../../../src-shared/protocol/http';
import {
  PROVISIONING_BODY_MAX,
  linkDeviceRequestSchema,
  LINKING_ROUTES,
  linkTokenResponseSchema,
  provisioningAddressSchema,
  provisioningMessageSchema,
  provisioningSlotSchema,
  provisioningWaitSchema,
} from '../../../src-shared/protocol/linking';
import { z } from 'zod';
import type { LinkingService } from '../../services/linking';
import { deviceOf } from '../authHooks';
import type { RouteContext } from './routeContext';
import { BODY_LIMITS, perSourcePerHour } from './routeContext';

const DEFAULT_WAIT_SECONDS = 25;

/**
 * Linking a device (C5): provisioning addresses (open: no auth, limited per source; deliver:
 * device auth; collect: the address is the secret), link tokens (device auth), and the linked
 * device's registration (the token is the credential, limited per source).
 */
export const linkingRoutes: FastifyPluginAsyncZod<RouteContext & { linking: LinkingService }> = async (app, { linking, auth, limits }) => {
  const perSource = perSourcePerHour(limits.linkingPerSourcePerHour, 'links');
  const addressParams = z.object({ address: provisioningAddressSchema });

  app.post(LINKING_ROUTES.provisioning, { config: perSource, schema: { response: { 201: provisioningSlotSchema } } }, async (_request, reply) =>
    reply.code(201).send(await linking.openSlot()),
  );

  app.put(
    `${LINKING_ROUTES.provisioningSlot}:address`,
    { onRequest: auth.device, bodyLimit: Math.ceil(PROVISIONING_BODY_MAX / 3) * 4 + 1024, schema: { params: addressParams, body: provisioningMessageSchema } },
    async (request, reply) => {
      await linking.deliver(deviceOf(request), request.params.address, request.body);
      return reply.code(204).send();
    },
  );

  app.get(
    `${LINKING_ROUTES.provisioningSlot}:address`,
    { schema: { params: addressParams, querystring: provisioningWaitSchema, response: { 200: provisioningMessageSchema, 204: z.null() } } },
    async (request, reply) => {
      const left = new AbortController();
      request.raw.once('close', () => left.abort());
      const message = await linking.collect(request.params.address, (request.query.wait ?? DEFAULT_WAIT_SECONDS) * 1000, left.signal);
      return message ? reply.code(200).send(message) : reply.code(204).send(null);
    },
  );

  app.post(LINKING_ROUTES.linkTokens, { onRequest: auth.device, schema: { response: { 201: linkTokenResponseSchema } } }, async (request, reply) =>
    reply.code(201).send(await linking.issueToken(deviceOf(request))),
  );

  app.post(
    LINKING_ROUTES.linkedDevice,
    { config: perSource, bodyLimit: BODY_LIMITS.keys, schema: { body: linkDeviceRequestSchema, response: { 201: registerAccountResponseSchema } } },
    async (request, reply) => reply.code(201).send(await linking.registerLinked(request.body.linkToken, request.body.device)),
  );
};
