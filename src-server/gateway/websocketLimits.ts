import { LIMITS } from '../../src-shared/domain/limits';

/**
 * Frames between LIMITS.frameMaxBytes and this size are answered with `payload_too_large` and
 * the socket carries on; past it `ws` stops reading and closes with 1009, since holding
 * arbitrarily large frames in memory is not an option.
 */
export const HARD_FRAME_LIMIT = LIMITS.frameMaxBytes * 2;

/** An error `ws` raises for a peer's protocol violation (its codes start with WS_ERR_). */
export function isClientProtocolError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('WS_ERR_');
}
