import { forgetFrequentContacts } from '../../data/frequentContacts';
import type { AccountSummary } from '../../../src-shared/ipc/account';
import type { ParleyBridge } from '../../../src-shared/ipc/bridge';
import { TYPING_EXPIRY_MS } from '../../../src-shared/ipc/messaging';
import { listChats, partyOf, type HistoryStore } from '../../data';
import type { AppStore } from '../../app/appStore';
import { createContactResolver, type ContactResolver } from './contactResolver';
import { createHistoryWriter, type HistoryWriter } from './historyWriter';
import { createInboxPump, type InboxPump } from './inboxPump';
import { createLongTaskWatch } from './longTaskWatch';
import { createOutgoingMessages, type OutgoingMessages } from './outgoingMessages';
import { createReadMarker, type ReadMarker } from './readMarker';

/** A signed-in account's running parts: its open history and what keeps it in step with main. */
export type Session = {
  readonly account: AccountSummary;
  readonly store: HistoryStore;
  readonly writer: HistoryWriter;
  readonly outgoing: OutgoingMessages;
  readonly reads: ReadMarker;
  readonly contacts: ContactResolver;
  readonly pump: InboxPump;
  stop(): void;
};

type Options = {
  bridge: ParleyBridge;
  store: HistoryStore;
  account: AccountSummary;
  appStore: AppStore;
  now?: () => number;
};

/**
 * Wires main's events to the history: onDidReceive drains the inbox, status events move my
 * messages' ticks, typing events feed the indicator. Starts by draining what waited while the
 * app was closed, right after a first read of the chat list. stop() unsubscribes and cancels the typing timers; the caller closes the store.
 */
export function startSession({ bridge, store, account, appStore, now = () => Date.now() }: Options): Session {
  const writer = createHistoryWriter(store);
  const contacts = createContactResolver({ bridge, writer, now });
  const outgoing = createOutgoingMessages({
    bridge,
    writer,
    senderDeviceId: account.deviceId,
    suggestFrequent: () => appStore.getState().preferences?.suggestFrequent ?? true,
  });
  const reads = createReadMarker({ bridge, writer });
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const ui = appStore.getState();

  const setTyping = (accountId: string, typing: boolean) => {
    clearTimeout(typingTimers.get(accountId));
    typingTimers.delete(accountId);
    if (!typing) return ui.setTyping(accountId, null);
    ui.setTyping(accountId, now() + TYPING_EXPIRY_MS);
    // A "typing" with no follow-up (the sender went offline mid-sentence) expires on its own.
    typingTimers.set(
      accountId,
      setTimeout(() => {
        typingTimers.delete(accountId);
        ui.setTyping(accountId, null);
      }, TYPING_EXPIRY_MS),
    );
  };

  const longTasks = createLongTaskWatch();
  const pump = createInboxPump({
    bridge,
    writer,
    longTasks,
    onStored: (items) => {
      const conversations = new Set<string>();
      for (const item of items) {
        // A secret chat's party is its peer, not its id (C4).
        if (item.kind === 'secret_chat') conversations.add(item.secretChat.peerAccountId);
        // Their profile may have come before their username was known (A2).
        if (item.kind === 'profile' || item.kind === 'avatar') conversations.add(item.accountId);
        if (item.kind !== 'message') continue;
        conversations.add(item.message.secret?.peerAccountId ?? item.message.conversationId);
        // Their message arrived: they have stopped typing it.
        if (item.message.direction === 'in') setTyping(item.message.senderAccountId, false);
      }
      void contacts.resolve(conversations);
      ui.setProblem(null);
    },
    onError: () => ui.setProblem('problem.inbox'),
  });

  let connectionReported = false;
  let catchUpReported = false;
  let restoreReported = false;
  let preferencesReported = false;
  const subscriptions = [
    bridge.messaging.onDidReceive(() => void pump.pump()),
    bridge.messaging.onDidChangeMessageStatus((change) => {
      outgoing.applyStatus(change).catch(() => ui.setProblem('problem.history'));
    }),
    bridge.messaging.onDidChangeTyping((change) => setTyping(change.accountId, change.typing)),
    bridge.messaging.onDidChangeConnection((status) => {
      connectionReported = true;
      ui.setConnection(status);
    }),
    bridge.messaging.onDidChangeCatchUp((progress) => {
      catchUpReported = true;
      ui.setCatchUp(progress);
    }),
    bridge.preferences.onDidChange((preferences) => {
      preferencesReported = true;
      ui.setPreferences(preferences);
      // B4 switched off (here or on another device of mine): the ranking goes.
      if (!preferences.suggestFrequent) void writer.run((store) => forgetFrequentContacts(store)).catch(() => ui.setProblem('problem.history'));
    }),
    bridge.archive.onDidChangeRestore((progress) => {
      restoreReported = true;
      ui.setRestore(progress);
    }),
  ];
  // Where the connection stands already (a reload while offline gets no event until it changes);
  // an event that overtakes the answer is newer, so the answer then changes nothing.
  void bridge.messaging.getConnectionStatus({}).then((answer) => {
    if (answer.ok && !connectionReported) ui.setConnection(answer.value);
  });
  // A catch-up may be under way already (main connected before this page loaded).
  void bridge.messaging.getCatchUpProgress({}).then((answer) => {
    if (answer.ok && !catchUpReported) ui.setCatchUp(answer.value);
  });
  // The block list and who can call me (B3, F3), kept by main and synced between my devices.
  void bridge.preferences.get({}).then((answer) => {
    if (answer.ok && !preferencesReported) ui.setPreferences(answer.value);
  });
  // A linked device restores its history from the archive (C5), perhaps since before this page loaded.
  void bridge.archive.getRestoreProgress({}).then((answer) => {
    if (answer.ok && !restoreReported) ui.setRestore(answer.value);
  });

  // What is stored paints first: the first inbox batch (a read-write transaction that a read of
  // the same stores made after it would wait for) starts only once a first read of the chat list
  // has gone through, so the chat list's own first read, made as it mounts, is not queued behind it.
  const firstRead = writer.run((history) => listChats(history));
  void firstRead.then(
    () => pump.pump(),
    () => pump.pump(),
  );
  void firstRead
    .then((chats) => contacts.resolve(chats.filter((chat) => chat.contact === null).map(partyOf)))
    .catch(() => ui.setProblem('problem.history'));

  return {
    account,
    store,
    writer,
    outgoing,
    reads,
    contacts,
    pump,
    stop() {
      pump.stop();
      longTasks?.stop();
      for (const unsubscribe of subscriptions) unsubscribe();
      for (const timer of typingTimers.values()) clearTimeout(timer);
      typingTimers.clear();
    },
  };
}
