import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { accountIdSchema, deviceIdSchema, usernameSchema } from '../../src-shared/domain/ids';
import type { Logger } from '../../src-shared/domain/runtime';
import { addDeviceRequestSchema, HTTP_ROUTES, registerAccountRequestSchema } from '../../src-shared/protocol/http';
import { uploadPreKeysRequestSchema } from '../../src-shared/protocol/keys';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import type { AccountRecord } from '../storage/accountsRepository';
import type { AccountsService } from '../services/accounts';
import type { AuthenticatedDevice } from '../services/deviceAuth';
import type { PreKeysService } from '../services/preKeys';
import { describeError, ServiceError } from '../services/serviceError';
import type { Authenticator } from './auth';
import { parseWith, readBody, sendError, sendJson, validate } from './httpMessages';

type Reply = { status: number; body?: unknown };
type Context = { request: IncomingMessage; params: string[]; query: URLSearchParams; body(): Promise<string> };

/** A route authenticates before its handler runs, and before any body is read. */
type Route = { name: string; method: 'GET' | 'POST' | 'PUT'; path: RegExp } & (
  | { auth: 'none'; handle(context: Context): Promise<Reply> }
  | { auth: 'device'; handle(context: Context, device: AuthenticatedDevice): Promise<Reply> }
  | { auth: 'password'; handle(context: Context, account: AccountRecord): Promise<Reply> }
);

const exact = (path: string) => new RegExp(`^${path.replace(/[/.]/g, '\\$&')}$`);

function bundleTarget(params: string[]): { accountId: string; deviceId?: number } {
  const accountId = accountIdSchema.safeParse(params[0]);
  if (!accountId.success) throw new ServiceError('bad_request', 'accountId: not an account id');
  if (params[1] === undefined) return { accountId: accountId.data };
  const deviceId = deviceIdSchema.safeParse(/^\d{1,3}$/.test(params[1]) ? Number(params[1]) : NaN);
  if (!deviceId.success) throw new ServiceError('bad_request', 'deviceId: not a device id');
  return { accountId: accountId.data, deviceId: deviceId.data };
}

export function createRoutes(services: { accounts: AccountsService; preKeys: PreKeysService }): Route[] {
  const { accounts, preKeys } = services;
  return [
    {
      name: 'health',
      method: 'GET',
      path: exact(HTTP_ROUTES.health),
      auth: 'none',
      handle: async () => ({ status: 200, body: { ok: true, protocolVersion: PROTOCOL_VERSION } }),
    },
    {
      name: 'register_account',
      method: 'POST',
      path: exact(HTTP_ROUTES.registerAccount),
      auth: 'none',
      handle: async (context) => ({
        status: 201,
        body: await accounts.register(parseWith(registerAccountRequestSchema, await context.body())),
      }),
    },
    {
      name: 'add_device',
      method: 'POST',
      path: exact(HTTP_ROUTES.addDevice),
      auth: 'password',
      handle: async (context, account) => {
        const request = parseWith(addDeviceRequestSchema, await context.body());
        return { status: 201, body: await accounts.addDevice(account, request.device) };
      },
    },
    {
      name: 'lookup_account',
      method: 'GET',
      path: exact(HTTP_ROUTES.lookupAccount),
      auth: 'device',
      handle: async (context) => {
        const username = validate(usernameSchema, context.query.get('username') ?? '');
        return { status: 200, body: await accounts.lookup(username) };
      },
    },
    {
      // After lookup_account in this table, so `/v1/accounts/lookup` is never taken for an id.
      name: 'account_by_id',
      method: 'GET',
      path: new RegExp(`^${HTTP_ROUTES.accountById}([^/]+)$`),
      auth: 'device',
      handle: async (context) => {
        const accountId = accountIdSchema.safeParse(context.params[0]);
        if (!accountId.success) throw new ServiceError('bad_request', 'accountId: not an account id');
        return { status: 200, body: await accounts.describe(accountId.data) };
      },
    },
    {
      name: 'upload_prekeys',
      method: 'PUT',
      path: exact(HTTP_ROUTES.preKeys),
      auth: 'device',
      handle: async (context, device) => {
        await preKeys.upload(device, parseWith(uploadPreKeysRequestSchema, await context.body()));
        return { status: 204 };
      },
    },
    {
      name: 'count_prekeys',
      method: 'GET',
      path: exact(HTTP_ROUTES.preKeys),
      auth: 'device',
      handle: async (_context, device) => ({ status: 200, body: await preKeys.count(device) }),
    },
    {
      name: 'fetch_prekey_bundle',
      method: 'GET',
      path: new RegExp(`^${HTTP_ROUTES.preKeyBundle}([^/]+)(?:/([^/]+))?$`),
      auth: 'device',
      handle: async (context, device) => {
        const target = bundleTarget(context.params);
        return { status: 200, body: await preKeys.fetchBundle(device, target.accountId, target.deviceId) };
      },
    },
  ];
}

/** The node:http request listener: route, authenticate, validate, answer, log (never the client's address or content). */
export function createHttpHandler(options: { routes: Route[]; authenticator: Authenticator; logger: Logger }) {
  const { routes, authenticator, logger } = options;

  return (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    let routeName = 'unmatched';

    const run = async (): Promise<number> => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const samePath = routes.filter((route) => route.path.test(url.pathname));
      const route = samePath.find((candidate) => candidate.method === request.method);
      if (!route) {
        throw new ServiceError('not_found', samePath.length > 0 ? 'method not allowed on this route' : 'no such route');
      }
      routeName = route.name;
      const context: Context = {
        request,
        params: (route.path.exec(url.pathname) ?? []).slice(1).filter((part): part is string => part !== undefined),
        query: url.searchParams,
        body: () => readBody(request),
      };
      let reply: Reply;
      if (route.auth === 'device') reply = await route.handle(context, await authenticator.device(request.headers.authorization));
      else if (route.auth === 'password') reply = await route.handle(context, await authenticator.password(request.headers.authorization));
      else reply = await route.handle(context);
      sendJson(response, reply.status, reply.body);
      return reply.status;
    };

    run()
      .catch((error: unknown) => {
        if (!(error instanceof ServiceError)) logger.error('http_handler_failed', { route: routeName, error: describeError(error) });
        return sendError(response, error);
      })
      .then((status) => {
        logger.info('http_request', {
          route: routeName,
          method: request.method ?? 'unknown',
          status,
          durationMs: Math.round(performance.now() - started),
        });
      })
      .catch(() => undefined);
  };
}
