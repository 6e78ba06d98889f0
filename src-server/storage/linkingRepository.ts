import type { Kysely } from 'kysely';
import type { Database } from './schema';

export type LinkingRepository = ReturnType<typeof createLinkingRepository>;

/** Provisioning addresses and link tokens (004-device-linking). Times are ms since the epoch. */
export function createLinkingRepository(db: Kysely<Database>) {
  return {
    async openSlot(address: string, expiresAt: number): Promise<void> {
      await db.insertInto('provisioning_slots').values({ address, body: null, expires_at: expiresAt }).execute();
    },

    /** 'stored', or why not: no live slot at that address, or it already holds a blob. */
    async fillSlot(address: string, body: string, now: number): Promise<'stored' | 'absent' | 'full'> {
      const result = await db
        .updateTable('provisioning_slots')
        .set({ body })
        .where('address', '=', address)
        .where('expires_at', '>', now)
        .where('body', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) return 'stored';
      const slot = await db.selectFrom('provisioning_slots').select('body').where('address', '=', address).where('expires_at', '>', now).executeTakeFirst();
      return slot ? 'full' : 'absent';
    },

    /** The live slot's blob (null while empty), or undefined when there is no live slot. */
    async readSlot(address: string, now: number): Promise<{ body: string | null } | undefined> {
      return db.selectFrom('provisioning_slots').select('body').where('address', '=', address).where('expires_at', '>', now).executeTakeFirst();
    },

    /** Deletes a slot that holds a blob; answers whether this call deleted it (only one collector does). */
    async takeFilledSlot(address: string): Promise<boolean> {
      const result = await db.deleteFrom('provisioning_slots').where('address', '=', address).where('body', 'is not', null).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    async insertToken(tokenHash: string, accountId: string, expiresAt: number): Promise<void> {
      await db.insertInto('link_tokens').values({ token_hash: tokenHash, account_id: accountId, expires_at: expiresAt }).execute();
    },

    /** A live token: its account, and the device it registered if it was used. */
    async findToken(tokenHash: string, now: number): Promise<{ accountId: string; usedDeviceId: number | null; usedSecretHash: string | null } | undefined> {
      const row = await db
        .selectFrom('link_tokens')
        .select(['account_id', 'used_device_id', 'used_secret_hash'])
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row && { accountId: row.account_id, usedDeviceId: row.used_device_id === null ? null : Number(row.used_device_id), usedSecretHash: row.used_secret_hash };
    },

    /** Marks an unused token as being used by the device with this secret; answers whether this call did (only one does). */
    async claimToken(tokenHash: string, secretHash: string): Promise<boolean> {
      const result = await db
        .updateTable('link_tokens')
        .set({ used_device_id: 0, used_secret_hash: secretHash })
        .where('token_hash', '=', tokenHash)
        .where('used_secret_hash', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async recordTokenDevice(tokenHash: string, deviceId: number): Promise<void> {
      await db.updateTable('link_tokens').set({ used_device_id: deviceId }).where('token_hash', '=', tokenHash).execute();
    },

    /** Frees a claim whose registration was refused, so the token can be used again. */
    async releaseToken(tokenHash: string): Promise<void> {
      await db.updateTable('link_tokens').set({ used_device_id: null, used_secret_hash: null }).where('token_hash', '=', tokenHash).execute();
    },

    /** Deletes every token of an account (a fresh start: none may add a device to the new identity). */
    async deleteTokensOf(accountId: string): Promise<void> {
      await db.deleteFrom('link_tokens').where('account_id', '=', accountId).execute();
    },

    /** Deletes expired slots and tokens; answers how many rows went. */
    async deleteExpired(now: number): Promise<number> {
      const slots = await db.deleteFrom('provisioning_slots').where('expires_at', '<=', now).executeTakeFirst();
      const tokens = await db.deleteFrom('link_tokens').where('expires_at', '<=', now).executeTakeFirst();
      return Number(slots.numDeletedRows) + Number(tokens.numDeletedRows);
    },
  };
}
