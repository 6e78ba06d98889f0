import type { Kysely } from 'kysely';
import type { KyberPreKey, PreKey, PreKeyCount } from '../../src-shared/protocol/keys';
import type { DialectName } from './dialect';
import type { Database } from './schema';

export type PreKeysRepository = ReturnType<typeof createPreKeysRepository>;

/** One-time EC and Kyber prekeys. Each is handed out at most once, oldest upload first. */
export function createPreKeysRepository(db: Kysely<Database>, dialect: DialectName) {
  /**
   * The oldest key of a device, chosen so that two concurrent fetches never get the same one:
   * on PostgreSQL a row another transaction is taking is skipped rather than waited for;
   * SQLite runs one transaction at a time.
   */
  const oldestKey = (table: 'pre_keys' | 'kyber_pre_keys', accountId: string, deviceId: number) =>
    db
      .selectFrom(table)
      .select('seq')
      .where('account_id', '=', accountId)
      .where('device_id', '=', deviceId)
      .orderBy('seq')
      .limit(1)
      .$if(dialect === 'postgres', (query) => query.forUpdate().skipLocked());

  return {
    /** Adds keys; a key id the device already has is replaced by the new key. */
    async upsertPreKeys(accountId: string, deviceId: number, keys: readonly PreKey[]): Promise<void> {
      if (keys.length === 0) return;
      await db
        .insertInto('pre_keys')
        .values(keys.map((key) => ({ account_id: accountId, device_id: deviceId, key_id: key.keyId, public_key: key.publicKey })))
        .onConflict((conflict) =>
          conflict
            .columns(['account_id', 'device_id', 'key_id'])
            .doUpdateSet((update) => ({ public_key: update.ref('excluded.public_key') })),
        )
        .execute();
    },

    async upsertKyberPreKeys(accountId: string, deviceId: number, keys: readonly KyberPreKey[]): Promise<void> {
      if (keys.length === 0) return;
      await db
        .insertInto('kyber_pre_keys')
        .values(
          keys.map((key) => ({
            account_id: accountId,
            device_id: deviceId,
            key_id: key.keyId,
            public_key: key.publicKey,
            signature: key.signature,
          })),
        )
        .onConflict((conflict) =>
          conflict.columns(['account_id', 'device_id', 'key_id']).doUpdateSet((update) => ({
            public_key: update.ref('excluded.public_key'),
            signature: update.ref('excluded.signature'),
          })),
        )
        .execute();
    },

    async count(accountId: string, deviceId: number): Promise<PreKeyCount> {
      const countOf = async (table: 'pre_keys' | 'kyber_pre_keys') => {
        const row = await db
          .selectFrom(table)
          .select((select) => select.fn.countAll<number>().as('count'))
          .where('account_id', '=', accountId)
          .where('device_id', '=', deviceId)
          .executeTakeFirstOrThrow();
        return Number(row.count);
      };
      return { preKeys: await countOf('pre_keys'), kyberPreKeys: await countOf('kyber_pre_keys') };
    },

    /** Removes and returns the device's oldest one-time EC prekey, if it has one. */
    async takePreKey(accountId: string, deviceId: number): Promise<PreKey | undefined> {
      const row = await db
        .deleteFrom('pre_keys')
        .where('seq', '=', oldestKey('pre_keys', accountId, deviceId))
        .returning(['key_id', 'public_key'])
        .executeTakeFirst();
      return row && { keyId: row.key_id, publicKey: row.public_key };
    },

    /** Removes and returns the device's oldest one-time Kyber prekey, if it has one. */
    async takeKyberPreKey(accountId: string, deviceId: number): Promise<KyberPreKey | undefined> {
      const row = await db
        .deleteFrom('kyber_pre_keys')
        .where('seq', '=', oldestKey('kyber_pre_keys', accountId, deviceId))
        .returning(['key_id', 'public_key', 'signature'])
        .executeTakeFirst();
      return row && { keyId: row.key_id, publicKey: row.public_key, signature: row.signature };
    },
  };
}
