import type { Clock, Logger } from '../../../src-shared/domain/runtime';
import { LIMITS } from '../../../src-shared/domain/limits';
import type { PreKeyCount } from '../../../src-shared/protocol/keys';
import type { ServerApi } from '../api/serverApi';
import type { SerialQueue } from '../util/serialQueue';
import type { Vault } from '../vault/vault';
import { generateOneTimePreKeys, rotateKyberLastResortPreKey, rotateSignedPreKey } from './deviceKeys';
import { readLocalKeys } from './localKeys';

/** How long a signed prekey (and the Kyber last-resort key) is used before a new one is made. */
export const SIGNED_PREKEY_ROTATION_MS = 7 * 24 * 60 * 60 * 1000;

export type PreKeyUpkeepOptions = { vault: Vault; cryptoQueue: SerialQueue; api: ServerApi; clock: Clock; logger: Logger };

/**
 * Keeps the server stocked: refills one-time prekeys when the server holds fewer than the low
 * watermark, and rotates the signed and last-resort keys weekly. The private halves are
 * committed before the public halves are uploaded, so the server never offers a key this
 * device cannot open.
 */
export class PreKeyUpkeep {
  private running: Promise<void> | undefined;

  constructor(private readonly options: PreKeyUpkeepOptions) {}

  check(count: PreKeyCount): Promise<void> {
    this.running ??= this.run(count)
      .catch((error: unknown) =>
        this.options.logger.warn('prekeys.upkeep_failed', { reason: error instanceof Error ? error.name : 'unknown' }),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Resolves once no upkeep is running. */
  async idle() {
    while (this.running) await this.running;
  }

  private async run(signalled: PreKeyCount) {
    const { vault, cryptoQueue, api, clock, logger } = this.options;
    // A low signal may have been sent before an upload that already answered it landed, so
    // the server's current count decides, not the count the signal carried.
    const count = isLow(signalled) ? await api.preKeyCount() : signalled;
    const low = isLow(count);
    const stale = clock.now() - readLocalKeys(vault.transaction()).signedPreKeyCreatedAt > SIGNED_PREKEY_ROTATION_MS;
    if (!low && !stale) return;
    const upload = await cryptoQueue.run(async () => {
      const transaction = vault.transaction();
      const now = clock.now();
      const rotated = stale
        ? { signedPreKey: rotateSignedPreKey(transaction, now), kyberLastResortPreKey: rotateKyberLastResortPreKey(transaction, now) }
        : {};
      const oneTime = low ? generateOneTimePreKeys(transaction, now) : {};
      // The private halves are on disk before the server can hand out the public ones.
      await transaction.commit();
      return { ...rotated, ...oneTime };
    });
    await api.uploadPreKeys(upload);
    logger.info('prekeys.uploaded', { refilled: low, rotated: stale });
  }
}

function isLow(count: PreKeyCount) {
  return count.preKeys < LIMITS.preKeyLowWatermark || count.kyberPreKeys < LIMITS.preKeyLowWatermark;
}
