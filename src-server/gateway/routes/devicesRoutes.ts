import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { addDeviceRequestSchema, devicePathSchema, HTTP_ROUTES, registerAccountResponseSchema } from '../../../src-shared/protocol/http';
import type { DeviceRemovalActor } from '../../services/devices';
import { accountOf } from '../authHooks';
import type { RouteContext } from './routeContext';
import { BODY_LIMITS } from './routeContext';

/** Adding a device (password auth) and removing one (any device of the account, or the password). */
export const devicesRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { accounts, devices, auth }) => {
  app.post(
    HTTP_ROUTES.addDevice,
    {
      onRequest: auth.password,
      bodyLimit: BODY_LIMITS.keys,
      schema: { body: addDeviceRequestSchema, response: { 201: registerAccountResponseSchema } },
    },
    async (request, reply) => reply.code(201).send(await accounts.addDevice(accountOf(request), request.body.device)),
  );

  app.delete(`${HTTP_ROUTES.device}:deviceId`, { onRequest: auth.either, schema: { params: devicePathSchema } }, async (request, reply) => {
    const actor: DeviceRemovalActor = request.authenticatedDevice
      ? { kind: 'device', device: request.authenticatedDevice }
      : { kind: 'password', account: accountOf(request) };
    await devices.removeDevice(actor, request.params.deviceId);
    return reply.code(204).send();
  });
};
