import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { lookupAccountResponseSchema } from '../../../src-shared/protocol/http';
import {
  discoverableRequestSchema,
  PHONE_ROUTES,
  phoneLookupRequestSchema,
  phoneNumberStateSchema,
  sendCodeRequestSchema,
  syncContactsRequestSchema,
  syncContactsResponseSchema,
  verifyCodeRequestSchema,
} from '../../../src-shared/protocol/phone';
import type { PhoneNumbersService } from '../../services/phoneNumbers';
import { ServiceError } from '../../services/serviceError';
import { deviceOf } from '../authHooks';
import { BODY_LIMITS, perSourcePerHour, type RouteContext } from './routeContext';

/** 5,000 numbers of up to 32 characters, quoted and separated. */
const SYNC_BODY_LIMIT = 256 * 1024;

/** Phone numbers (H3): verify, show to their owner, find by, remove; and synced contacts (B2). */
export const phoneRoutes: FastifyPluginAsyncZod<RouteContext & { phoneNumbers: PhoneNumbersService }> = async (app, { phoneNumbers, auth, limits }) => {
  app.get(PHONE_ROUTES.self, { onRequest: auth.device, schema: { response: { 200: phoneNumberStateSchema } } }, async (request) => {
    const state = await phoneNumbers.state(deviceOf(request).accountId);
    if (!state) throw new ServiceError('not_found', 'this account has no phone number');
    return state;
  });

  app.delete(PHONE_ROUTES.self, { onRequest: auth.device }, async (request, reply) => {
    await phoneNumbers.remove(deviceOf(request).accountId);
    return reply.code(204).send();
  });

  app.post(
    PHONE_ROUTES.code,
    { onRequest: auth.device, bodyLimit: BODY_LIMITS.small, config: perSourcePerHour(limits.phoneCodesPerSourcePerHour, 'phone codes'), schema: { body: sendCodeRequestSchema } },
    async (request, reply) => {
      await phoneNumbers.sendCode(deviceOf(request).accountId, request.body.number);
      return reply.code(204).send();
    },
  );

  app.post(
    PHONE_ROUTES.verify,
    { onRequest: auth.device, bodyLimit: BODY_LIMITS.small, schema: { body: verifyCodeRequestSchema, response: { 200: phoneNumberStateSchema } } },
    async (request) => phoneNumbers.verify(deviceOf(request).accountId, request.body.code),
  );

  app.put(
    PHONE_ROUTES.discoverable,
    { onRequest: auth.device, bodyLimit: BODY_LIMITS.small, schema: { body: discoverableRequestSchema, response: { 200: phoneNumberStateSchema } } },
    async (request) => phoneNumbers.setDiscoverable(deviceOf(request).accountId, request.body.discoverable),
  );

  app.post(
    PHONE_ROUTES.lookup,
    {
      onRequest: auth.device,
      bodyLimit: BODY_LIMITS.small,
      // Numbers are few enough to enumerate: a source gets a bounded number of guesses.
      config: perSourcePerHour(limits.phoneLookupsPerSourcePerHour, 'phone number look-ups'),
      schema: { body: phoneLookupRequestSchema, response: { 200: lookupAccountResponseSchema } },
    },
    async (request) => phoneNumbers.lookup(request.body.number),
  );

  app.put(
    PHONE_ROUTES.syncedContacts,
    {
      onRequest: auth.device,
      bodyLimit: SYNC_BODY_LIMIT,
      config: perSourcePerHour(limits.contactSyncsPerSourcePerHour, 'contact syncs'),
      schema: { body: syncContactsRequestSchema, response: { 200: syncContactsResponseSchema } },
    },
    async (request) => phoneNumbers.syncContacts(deviceOf(request).accountId, request.body.numbers),
  );

  app.delete(PHONE_ROUTES.syncedContacts, { onRequest: auth.device }, async (request, reply) => {
    await phoneNumbers.deleteSyncedContacts(deviceOf(request).accountId);
    return reply.code(204).send();
  });
};
