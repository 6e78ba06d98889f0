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

    async deleteSlot(address: string): Promise<void> {
      await db.deleteFrom('provisioning_slots').where('address', '=', address).execute();
    },

    async insertToken(tokenHash: string, accountId: string, expiresAt: number): Promise<void> {
      await db.insertInto('link_tokens').values({ token_hash: tokenHash, account_id: accountId, expires_at: expiresAt }).execute();
    },

    /** Deletes the token and answers its account and expiry, if it was live: a token is used at most once. */
    async takeToken(tokenHash: string, now: number): Promise<{ accountId: string; expiresAt: number } | undefined> {
      const row = await db.selectFrom('link_tokens').select(['account_id', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!row) return undefined;
      const deleted = await db.deleteFrom('link_tokens').where('token_hash', '=', tokenHash).executeTakeFirst();
      // A concurrent taker deleted it first: only one of them links.
      if (Number(deleted.numDeletedRows) === 0) return undefined;
      const expiresAt = Number(row.expires_at);
      return expiresAt > now ? { accountId: row.account_id, expiresAt } : undefined;
    },

    /** Deletes expired slots and tokens; answers how many rows went. */
    async deleteExpired(now: number): Promise<number> {
      const slots = await db.deleteFrom('provisioning_slots').where('expires_at', '<=', now).executeTakeFirst();
      const tokens = await db.deleteFrom('link_tokens').where('expires_at', '<=', now).executeTakeFirst();
      return Number(slots.numDeletedRows) + Number(tokens.numDeletedRows);
    },
  };
}
