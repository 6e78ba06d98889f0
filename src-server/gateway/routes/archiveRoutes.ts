import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  appendArchiveRequestSchema,
  appendArchiveResponseSchema,
  ARCHIVE_BATCH_MAX,
  ARCHIVE_ROUTES,
  archivePageQuerySchema,
  archivePageSchema,
  archiveSettingsSchema,
  archiveStateSchema,
} from '../../../src-shared/protocol/archive';
import type { ArchiveService } from '../../services/archive';
import { deviceOf } from '../authHooks';
import type { RouteContext } from './routeContext';

/** A full upload: 500 items of up to 512 KiB sealed each would be too much for one body; 32 MiB bounds it. */
const APPEND_BODY_LIMIT = 32 * 1024 * 1024;

/** The encrypted history archive (C5, C7), all with device credentials. */
export const archiveRoutes: FastifyPluginAsyncZod<RouteContext & { archive: ArchiveService }> = async (app, { archive, auth }) => {
  app.post(
    ARCHIVE_ROUTES.items,
    { onRequest: auth.device, bodyLimit: APPEND_BODY_LIMIT, schema: { body: appendArchiveRequestSchema, response: { 200: appendArchiveResponseSchema } } },
    async (request) => archive.append(deviceOf(request), request.body.epoch, request.body.items),
  );

  app.get(
    ARCHIVE_ROUTES.items,
    { onRequest: auth.device, schema: { querystring: archivePageQuerySchema, response: { 200: archivePageSchema } } },
    async (request) => archive.page(deviceOf(request), request.query.after ?? 0, request.query.limit ?? ARCHIVE_BATCH_MAX, request.query.count === '1'),
  );

  app.delete(ARCHIVE_ROUTES.items, { onRequest: auth.device }, async (request, reply) => {
    await archive.setEnabled(deviceOf(request), false);
    return reply.code(204).send();
  });

  app.get(ARCHIVE_ROUTES.settings, { onRequest: auth.device, schema: { response: { 200: archiveStateSchema } } }, async (request) =>
    archive.settings(deviceOf(request)),
  );

  app.put(ARCHIVE_ROUTES.settings, { onRequest: auth.device, schema: { body: archiveSettingsSchema } }, async (request, reply) => {
    await archive.setEnabled(deviceOf(request), request.body.enabled);
    return reply.code(204).send();
  });
};
