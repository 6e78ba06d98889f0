import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  addDeviceRequestSchema,
  devicePathSchema,
  HTTP_ROUTES,
  listDevicesResponseSchema,
  registerAccountResponseSchema,
  renameDeviceRequestSchema,
  terminateOthersResponseSchema,
} from '../../../src-shared/protocol/http';
import type { DeviceRemovalActor } from '../../services/devices';
import { accountOf, deviceOf } from '../authHooks';
import type { RouteContext } from './routeContext';
import { BODY_LIMITS } from './routeContext';

/**
 * Adding a device (password auth), removing one (any device of the account, or the password), and
 * Active sessions (A9): the list (either), renaming this device, terminating all others (device auth).
 */
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

  // The password too: a machine signing in without a device's keys is shown where the account still is.
  app.get(HTTP_ROUTES.devices, { onRequest: auth.either, schema: { response: { 200: listDevicesResponseSchema } } }, async (request) => ({
    devices: await devices.listDevices(request.authenticatedDevice?.accountId ?? accountOf(request).id),
  }));

  app.put(
    HTTP_ROUTES.deviceName,
    { onRequest: auth.device, bodyLimit: BODY_LIMITS.small, schema: { body: renameDeviceRequestSchema } },
    async (request, reply) => {
      await devices.renameDevice(deviceOf(request), request.body.name);
      return reply.code(204).send();
    },
  );

  // A static segment, so Fastify routes it before the `:deviceId` pattern below.
  app.delete(HTTP_ROUTES.otherDevices, { onRequest: auth.device, schema: { response: { 200: terminateOthersResponseSchema } } }, async (request) => ({
    terminated: await devices.removeOtherDevices(deviceOf(request)),
  }));

  app.delete(`${HTTP_ROUTES.device}:deviceId`, { onRequest: auth.either, schema: { params: devicePathSchema } }, async (request, reply) => {
    const actor: DeviceRemovalActor = request.authenticatedDevice
      ? { kind: 'device', device: request.authenticatedDevice }
      : { kind: 'password', account: accountOf(request) };
    await devices.removeDevice(actor, request.params.deviceId);
    return reply.code(204).send();
  });
};
