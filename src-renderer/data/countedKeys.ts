import { Dexie, type WhereClause } from 'dexie';

/**
 * The sum of the counts a `[conversationId+count]` index holds for one conversation: read as
 * index keys, so nothing is opened (message pages' counts, unread blocks' counts).
 */
export async function sumOfCounts(table: { where(index: string): WhereClause }, index: string, conversationId: string): Promise<number> {
  const keys = await table
    .where(index)
    .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey], true, true)
    .keys();
  return keys.reduce<number>((total, key) => total + (Array.isArray(key) && typeof key[1] === 'number' ? key[1] : 0), 0);
}
