import { Dexie } from 'dexie';
import type { InboxItem, ReceiptType } from '../../../src-shared/domain/messages';
import { openHistoryStore, type HistoryStore, type OpenHistoryOptions } from '../historyStore';

/** Helpers for the history store's tests: fresh databases and a view of what is really on disk. */

let databaseCount = 0;

export const ALICE = '00000000-0000-4000-8000-00000000a11c';
export const BOB = '00000000-0000-4000-8000-000000000b0b';
export const CAROL = '00000000-0000-4000-8000-0000000ca201';

export function testStorageKey(seed = 1): Uint8Array {
  return new Uint8Array(32).map((_, index) => (index * 31 + seed * 7) & 0xff);
}

export function uniqueDatabaseName(label: string): string {
  databaseCount += 1;
  return `test-${label}-${databaseCount}-${Date.now()}`;
}

/** A store for ALICE on a database no other test uses, with a clock that moves only when told. */
export async function openTestStore(
  options: Partial<OpenHistoryOptions> & { label?: string } = {},
): Promise<HistoryStore> {
  return openHistoryStore({
    accountId: ALICE,
    storageKey: testStorageKey(),
    name: uniqueDatabaseName(options.label ?? 'history'),
    clock: { now: () => 1_700_000_000_000 },
    ...options,
  });
}

/** Every row of every table, read without the encryption middleware: what IndexedDB holds. */
export async function readRawTables(name: string): Promise<Record<string, unknown[]>> {
  const raw = new Dexie(name);
  await raw.open();
  try {
    const tables: Record<string, unknown[]> = {};
    for (const table of raw.tables) tables[table.name] = await table.toArray();
    return tables;
  } finally {
    raw.close();
  }
}

/**
 * The raw rows as one string to search for leaks: strings as they are, and every byte array
 * decoded both as UTF-8 and byte by byte, so plaintext hidden in a binary field shows up too.
 */
export function rawText(tables: Record<string, unknown[]>): string {
  return JSON.stringify(tables, (_field, value: unknown) =>
    value instanceof Uint8Array
      ? `${new TextDecoder().decode(value)} ${Array.from(value, (byte) => String.fromCharCode(byte)).join('')}`
      : value,
  );
}

/** An inbox item for a message from `sender` to ALICE (or from ALICE when sender is ALICE). */
export function messageItem(
  sender: string,
  messageId: string,
  text: string,
  sentAt: number,
  conversationId: string = sender,
): InboxItem {
  return {
    inboxId: `inbox-${sender}-${messageId}`,
    kind: 'message',
    message: {
      messageId,
      conversationId,
      direction: sender === ALICE ? 'out' : 'in',
      senderAccountId: sender,
      senderDeviceId: 1,
      text,
      sentAt,
      serverReceivedAt: sentAt + 50,
    },
  };
}

export function receiptItem(
  fromAccountId: string,
  receiptType: ReceiptType,
  messageIds: string[],
  at = 1_700_000_999_000,
): InboxItem {
  return {
    inboxId: `receipt-${fromAccountId}-${receiptType}-${messageIds.join(',')}`,
    kind: 'receipt',
    receipt: { fromAccountId, receiptType, messageIds, at },
  };
}
