import { LIMITS } from '../../src-shared/domain/limits';

/**
 * Frames between LIMITS.frameMaxBytes and this size are answered with `payload_too_large` and
 * the socket carries on; past it `ws` stops reading and closes with 1009, since holding
 * arbitrarily large frames in memory is not an option.
 */
export const HARD_FRAME_LIMIT = LIMITS.frameMaxBytes * 2;
