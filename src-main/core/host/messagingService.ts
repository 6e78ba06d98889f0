import type { ServiceImplementation } from '../bridge/bridgeDispatcher';
import { resultOf } from './hostErrors';
import type { ProfileSession } from './profileSession';

/** The messaging service (src-shared/ipc/messaging.ts) over the signed-in core. */
export const messagingServiceOf = (session: ProfileSession): ServiceImplementation<'messaging'> => ({
  sendText: ({ to, text }) =>
    resultOf(async () => {
      const message = await session.core.sendText({ accountId: to }, text);
      return { messageId: message.messageId, sentAt: message.sentAt };
    }),
  readInbox: ({ limit }) => resultOf(() => session.core.readInbox(limit)),
  confirmInbox: ({ inboxIds }) =>
    resultOf(() => {
      session.core.confirmInbox(inboxIds);
      return null;
    }),
  sendReadReceipts: ({ receipts }) =>
    resultOf(async () => {
      await session.core.sendReadReceipts(receipts);
      return null;
    }),
  sendTyping: ({ to, typing }) =>
    resultOf(async () => {
      // Best effort by design: an indicator that did not go out (offline, no session yet) is no error.
      await session.core.sendTyping(to, typing);
      return null;
    }),
  startSecretChat: ({ to }) => resultOf(() => session.core.secretChats.start({ accountId: to })),
  sendSecretText: ({ chatId, text }) =>
    resultOf(async () => {
      const message = await session.core.secretChats.send(chatId, text);
      return { messageId: message.messageId, sentAt: message.sentAt };
    }),
  deleteSecretChat: ({ chatId }) =>
    resultOf(async () => {
      await session.core.secretChats.delete(chatId);
      return null;
    }),
  getConnectionStatus: () => resultOf(() => session.core.connectionState),
  getCatchUpProgress: () => resultOf(() => session.core.catchUpProgress),
});
