import type { AbuseLimits } from '../../abuseLimits';
import { ServiceError } from '../../services/serviceError';
import type { AccountsService } from '../../services/accounts';
import type { FreshStartService } from '../../services/freshStart';
import type { DevicesService } from '../../services/devices';
import type { PreKeysService } from '../../services/preKeys';
import type { createAuthHooks } from '../authHooks';

/** What every route plugin is registered with. */
export type RouteContext = {
  accounts: AccountsService;
  devices: DevicesService;
  freshStart: FreshStartService;
  preKeys: PreKeysService;
  auth: ReturnType<typeof createAuthHooks>;
  limits: AbuseLimits;
};

/**
 * Body limits sized to the route. A registration carries at most 200 one-time EC and 200 signed
 * Kyber prekeys (about 450 KiB as JSON); nothing else the API takes comes near a few KiB.
 */
export const BODY_LIMITS = {
  keys: 640 * 1024,
  small: 16 * 1024,
} as const;

const HOUR_MS = 60 * 60 * 1000;

/** A route's `config` for @fastify/rate-limit: `max` requests per source per hour, refused as `rate_limited` saying `what`. */
export function perSourcePerHour(max: number, what: string) {
  return {
    rateLimit: {
      max,
      timeWindow: HOUR_MS,
      errorResponseBuilder: (_request: unknown, context: { ttl: number }) =>
        new ServiceError('rate_limited', `too many ${what} from this address; try again later`, {
          retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
        }),
    },
  };
}
