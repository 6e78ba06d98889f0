import { hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { base64 } from '../../../src-shared/domain/ids';
import { HmacSha256 } from '../crypto/hmacSha256';
import type { VaultTransaction } from '../vault/vaultTransaction';

/** Where the account archive key lives in the vault's 'meta' collection. */
const ARCHIVE_KEY_META_KEY = 'archiveKey';
const ARCHIVE_KEY_BYTES = 32;

export const archiveKeySchema = base64(ARCHIVE_KEY_BYTES).refine((text) => Buffer.from(text, 'base64').length === ARCHIVE_KEY_BYTES, 'not an archive key');

/**
 * The account archive key (C5): made by the account's first device, handed to each linked device
 * inside the link payload, and known to no one else. Two keys are derived from it, so the ids
 * that name items on the server say nothing about the key that seals them.
 */
export type ArchiveKeys = {
  /** AES-256-GCM key of every item's body. */
  sealKey: Buffer;
  /** Names an item after what it holds, so every device that archives one message gives it the same id. */
  itemIds: HmacSha256;
};

export const newArchiveKey = (): string => randomBytes(ARCHIVE_KEY_BYTES).toString('base64');

type Reader = Pick<VaultTransaction, 'getJson'>;

export function readArchiveKey(transaction: Reader): string | undefined {
  const stored = transaction.getJson<{ key: string }>('meta', ARCHIVE_KEY_META_KEY);
  return stored && z.object({ key: archiveKeySchema }).safeParse(stored).success ? stored.key : undefined;
}

export function writeArchiveKey(transaction: VaultTransaction, key: string) {
  transaction.putJson('meta', ARCHIVE_KEY_META_KEY, { key: archiveKeySchema.parse(key) });
}

/**
 * The archive key of this profile, made now for one registered before the archive existed (its
 * items then open only on devices linked from it from now on).
 */
export function ensureArchiveKey(transaction: VaultTransaction): string {
  const existing = readArchiveKey(transaction);
  if (existing) return existing;
  const key = newArchiveKey();
  writeArchiveKey(transaction, key);
  transaction.commitNow();
  return key;
}

export function archiveKeysOf(key: string): ArchiveKeys {
  const secret = Buffer.from(key, 'base64');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
  return { sealKey: derive('parley archive seal v1'), itemIds: new HmacSha256(derive('parley archive item id v1')) };
}
