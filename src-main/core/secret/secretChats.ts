import type { SecretChat } from '../../../src-shared/domain/messages';
import type { VaultTransaction } from '../vault/vaultTransaction';

/** Where this device's secret chats (C4) live in the vault's 'meta' collection: chat id → chat. */
const SECRET_CHATS_META_KEY = 'secretChats';

type Reader = Pick<VaultTransaction, 'getJson'>;

export function readSecretChats(transaction: Reader): Record<string, SecretChat> {
  return transaction.getJson<Record<string, SecretChat>>('meta', SECRET_CHATS_META_KEY) ?? {};
}

export const secretChatOf = (transaction: Reader, chatId: string): SecretChat | undefined => readSecretChats(transaction)[chatId];

export function putSecretChat(transaction: VaultTransaction, chat: SecretChat) {
  transaction.putJson('meta', SECRET_CHATS_META_KEY, { ...readSecretChats(transaction), [chat.chatId]: chat });
}

/** Where the ids of deleted secret chats are kept, newest last: nothing may open one again. */
const DELETED_META_KEY = 'secretChatsDeleted';
/** Deleted ids remembered; the oldest are forgotten past this. */
const DELETED_REMEMBERED = 10_000;

/** Deletes the chat, and remembers that it was deleted: a message still on its way does not open it again. */
export function removeSecretChat(transaction: VaultTransaction, chatId: string) {
  const { [chatId]: _removed, ...rest } = readSecretChats(transaction);
  transaction.putJson('meta', SECRET_CHATS_META_KEY, rest);
  const deleted = transaction.getJson<string[]>('meta', DELETED_META_KEY) ?? [];
  transaction.putJson('meta', DELETED_META_KEY, [...deleted.filter((id) => id !== chatId), chatId].slice(-DELETED_REMEMBERED));
}

export const wasDeleted = (transaction: Reader, chatId: string) => (transaction.getJson<string[]>('meta', DELETED_META_KEY) ?? []).includes(chatId);

/** Secret chats one account may have open with this device at once: more it opens are dropped. */
export const SECRET_CHATS_PER_PEER = 20;

export const openChatsWith = (transaction: Reader, accountId: string) =>
  Object.values(readSecretChats(transaction)).filter((chat) => chat.peerAccountId === accountId).length;

/** The chat's other device is the one that sent this: only it may speak in the chat. */
export const isPeerOf = (chat: SecretChat, accountId: string, deviceId: number) => chat.peerAccountId === accountId && chat.peerDeviceId === deviceId;
