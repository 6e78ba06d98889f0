import type { AbuseLimits } from '../../abuseLimits';
import type { AccountsService } from '../../services/accounts';
import type { DevicesService } from '../../services/devices';
import type { PreKeysService } from '../../services/preKeys';
import type { createAuthHooks } from '../authHooks';

/** What every route plugin is registered with. */
export type RouteContext = {
  accounts: AccountsService;
  devices: DevicesService;
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
