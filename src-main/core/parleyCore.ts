import { LIMITS } from '../../src-shared/domain/limits';
import type { InboxItem, MessageStatus } from '../../src-shared/domain/messages';
import type { TextContent } from '../../src-shared/protocol/content';
import type { CatchUpProgress, TypingChange } from '../../src-shared/ipc/messaging';
import { credentialsOf, readAccount, type AccountRecord } from './account/accountRecord';
import { DeviceSessions } from './account/deviceSessions';
import { AccountArchive } from './archive/accountArchive';
import { ServerApi } from './api/serverApi';
import { ContactDirectory } from './contacts/contactDirectory';
import { encodeContent } from './signal/contentCodec';
import { protocolAddress } from './signal/messageCipher';
import { readLocalKeys } from './signal/localKeys';
import { readArchiveKey } from './archive/archiveKey';
import { SecretChatSessions } from './secret/secretChatSessions';
import { PreKeyUpkeep } from './signal/preKeyUpkeep';
import { CatchUpTracker } from './sync/catchUpTracker';
import { dayOf, EnvelopeReceiver } from './sync/envelopeReceiver';
import type { LocalDevice } from './sync/localDevice';
import { outboxEntry } from './sync/outboxEntry';
import { enqueueReadReceipts } from './sync/readReceipts';
import { OutboxSender } from './sync/outboxSender';
import { OutboxWrites } from './sync/outboxWrites';
import { ServerConnection, type ConnectionState } from './sync/serverConnection';
import { Emitter } from './util/emitter';
import { TypingSender, type TypingOutcome } from './sync/typingSender';
import { SendOutcomes } from './sync/sendOutcomes';
import { checkText, NewTexts } from './sync/newTexts';
import { SyncedPreferences } from './preferences/syncedPreferences';
import { Profiles } from './accountProfile/profiles';
import type { PhoneNumber } from './account/phoneNumber';
import type { ContactImport } from './contacts/contactImport';
import { createPeopleParts } from './contacts/peopleParts';
import type { Usernames } from './account/usernames';
import type { PreferenceChange, Preferences } from '../../src-shared/domain/preferences';
import { DelayedTrigger } from './util/delayedTrigger';
import { SerialQueue } from './util/serialQueue';
import { MessageTooLongError, NotRegisteredError, RecipientBlockedError } from './coreErrors';
import type { ParleyCoreOptions } from './parleyCoreOptions';

/**
 * Delivery receipts owed wait this long (ms) after the first arrival that owes one, so the
 * arrivals meanwhile share one receipt message (the outbox merges receipts to one account). Alone,
 * each arrival cost its sender a second message back, which doubled the CPU per message of
 * spread-out traffic (bench:relay's open loop). Read receipts are not delayed; the receipts are
 * committed with their batch, so a crash meanwhile loses none.
 */
const RECEIPT_DELAY_MS = 500;
/** How long stop() lets receipts still waiting take to reach the server. */
const STOP_RECEIPT_WAIT_MS = 2_000;

/**
 * One device's messaging engine, shared by every shell (desktop, web, command line): it keeps
 * one connection, decrypts what arrives into the vault's inbox, and sends what is put in the
 * outbox. A shell reads the inbox, stores it in its history, and confirms it.
 */
export class ParleyCore {
  readonly account: AccountRecord;
  readonly onInboxChanged = new Emitter<void>();
  /**
   * My messages moving on. For 'delivered' and 'read', `by` is the account that says so: apply it
   * only to a message sent to that account.
   */
  readonly onMessageStatus = new Emitter<{ messageId: string; status: MessageStatus; by?: string; error?: string }>();
  readonly onConnectionStateChange: Emitter<ConnectionState>;
  /** Everything queued for this device at connect time has been received and committed. */
  readonly onCaughtUp = new Emitter<void>();
  /** The catch-up's progress: received (committed) of queued at connect; throttled, and once at its end. */
  readonly onCatchUpProgress: Emitter<CatchUpProgress>;
  /** Someone started or stopped typing to me (C8); emitted once its envelope is committed. Never in the inbox. */
  readonly onTyping = new Emitter<TypingChange>();
  /** The connection cannot work (credentials refused, protocol too old) and has stopped: why, for a person. */
  readonly onFatal: Emitter<string>;
  /**
   * The server says this device is no longer on its account: it was terminated from another
   * device (A9). The connection has stopped; the shell wipes the profile (ProfileSession does).
   */
  readonly onSessionEnded = new Emitter<void>();
  /** Active sessions (A9): list this account's devices, rename this one, end others. */
  readonly devices: DeviceSessions;
  /** The account's encrypted history archive (C5, C7): uploads, the setting, and a linked device's restore. */
  readonly archive: AccountArchive;
  /** This device's secret chats (C4): start, list, send, delete. */
  readonly secretChats: SecretChatSessions;
  /** The settings that follow me to my devices, end to end (B3's block list, F3's who can call me). */
  readonly preferences: SyncedPreferences;
  /** Profiles (A2): mine, sealed with the profile key my devices share, and the ones people gave me keys to. */
  readonly profiles: Profiles;
  /** A3: my @username, changed here or on another of my devices, and other people's changes. */
  readonly usernames: Usernames;
  /** H3: my optional phone number, which only the server holds. */
  readonly phone: PhoneNumber;
  /** B2: contacts imported from a file, synced as keyed hashes to learn who is on Parley. */
  readonly contactImport: ContactImport;

  private readonly connection: ServerConnection;
  private readonly receiver: EnvelopeReceiver;
  private readonly outbox: OutboxSender;
  private readonly upkeep: PreKeyUpkeep;
  private readonly typing: TypingSender;
  private readonly catchUp: CatchUpTracker;
  /** Sends the delivery receipts owed, a moment after the first arrival that owes one (see RECEIPT_DELAY_MS). */
  private readonly receiptFlush: DelayedTrigger;
  /** Messages put in the outbox in one turn share one durable commit, with their ciphertexts where it can. */
  private readonly outboxWrites: OutboxWrites;
  private readonly texts: NewTexts;
  private readonly outcomes: SendOutcomes;
  readonly contacts: ContactDirectory;

  private constructor(private readonly options: ParleyCoreOptions, account: AccountRecord) {
    const { vault, clock, logger, allowInsecureTransport } = options;
    this.account = account;
    const api = new ServerApi(account.serverUrl, credentialsOf(account), { allowInsecureTransport });
    const local: LocalDevice = {
      accountId: account.accountId,
      deviceId: account.deviceId,
      address: protocolAddress(account.accountId, account.deviceId),
    };
    const cryptoQueue = new SerialQueue();
    this.archive = new AccountArchive({ vault, api, logger, accountId: account.accountId, joinedAt: account.registeredAt });
    this.contacts = new ContactDirectory(vault, api);
    this.texts = new NewTexts(clock);
    this.outcomes = new SendOutcomes(this.onMessageStatus);
    this.preferences = new SyncedPreferences({
      vault,
      accountId: account.accountId,
      deviceId: account.deviceId,
      now: () => clock.now(),
      flushOutbox: () => void this.outbox.flush(),
    });
    this.profiles = new Profiles({ vault, api, logger, preferences: this.preferences, accountId: account.accountId, now: () => clock.now(), flushOutbox: () => void this.outbox.flush() });
    ({ phone: this.phone, usernames: this.usernames, contactImport: this.contactImport } = createPeopleParts({
      vault,
      api,
      account,
      contacts: this.contacts,
      preferences: this.preferences,
      now: () => clock.now(),
      flushOutbox: () => void this.outbox.flush(),
      changePreferences: (changes) => this.changePreferences(changes),
      profileHolders: () => this.profiles.own.holders(),
    }));
    this.connection = new ServerConnection({
      serverUrl: account.serverUrl,
      credentials: credentialsOf(account),
      logger,
      random: options.random,
      backoff: options.backoff,
      allowInsecureTransport,
    });
    this.onConnectionStateChange = this.connection.onStateChange;
    this.connection.onSessionEnded.on(() => this.onSessionEnded.emit());
    this.devices = new DeviceSessions({
      api,
      thisDeviceId: account.deviceId,
      account,
      identityKeyPair: () => readLocalKeys(vault.transaction()).identityKeyPair,
      archiveKey: () => readArchiveKey(vault.transaction())!,
      preferences: () => this.preferences.registersForLink(),
      sessionEnded: this.onSessionEnded,
    });
    this.onFatal = this.connection.onFatal;
    this.receiver = new EnvelopeReceiver({
      vault,
      cryptoQueue,
      local,
      clock,
      logger,
      ack: (envelopeIds) => this.connection.sendFrame({ type: 'ack', envelopeIds }),
      archive: this.archive,
      preferences: this.preferences,
      profiles: this.profiles,
      probe: options.probe,
    });
    this.outbox = new OutboxSender({
      vault,
      cryptoQueue,
      local,
      api,
      connection: this.connection,
      clock,
      logger,
      random: options.random,
      archive: this.archive,
      probe: options.probe,
    });
    this.upkeep = new PreKeyUpkeep({ vault, cryptoQueue, api, clock, logger });
    this.typing = new TypingSender({ vault, cryptoQueue, local, connection: this.connection, api, clock, logger });

    // The flush may send a message as soon as it is written: nothing leaves before the disk has it and its ciphertext.
    this.outboxWrites = new OutboxWrites({
      vault,
      cryptoQueue,
      local,
      api,
      clock,
      logger,
      connected: () => this.connection.isOpen,
      onCommitted: () => void this.outbox.flush(),
    });
    this.secretChats = new SecretChatSessions({
      vault,
      clock,
      accountId: account.accountId,
      accountIdOf: (username) => this.contacts.accountIdOf(username),
      isBlocked: (accountId) => this.preferences.isBlocked(accountId),
      newText: (text) => this.texts.next(text),
      devicesOf: (accountId) => this.outbox.devicesOf(accountId),
      addToOutbox: (entry) => this.outboxWrites.add(entry),
      flushOutbox: () => void this.outbox.flush(),
    });
    this.receiptFlush = new DelayedTrigger(options.receiptDelayMs ?? RECEIPT_DELAY_MS, () => void this.outbox.flush());
    this.catchUp = new CatchUpTracker({ clock });
    this.onCatchUpProgress = this.catchUp.onProgress;

    this.connection.onEnvelopes.on((envelopes) => void this.receiver.receive(envelopes));
    this.connection.onQueueDrained.on(() => {
      const round = this.catchUp.currentRound;
      void this.receiver.idle().then(() => {
        this.catchUp.finished(true, round);
        this.onCaughtUp.emit();
      });
    });
    this.connection.onStateChange.on((state) => {
      if (state === 'closed') this.catchUp.finished(false);
    });
    this.receiver.onBatchProcessed.on((count) => this.catchUp.processed(count));
    this.connection.onReady.on((ready) => {
      this.catchUp.started(ready.queued ?? 0);
      void this.upkeep.check(ready);
      void this.outbox.flush();
      this.archive.connected();
      this.profiles.connected();
      this.profiles.run('contacts.sync_failed', () => this.contactImport.connected());
    });
    this.connection.onPreKeysLow.on((count) => void this.upkeep.check(count));
    this.receiver.onBatchFailed.on(() => this.connection.reconnect());
    this.receiver.onDiskFailed.on(() => {
      void this.connection.stop();
      this.onFatal.emit('this device could not write to its disk: quit Parley and start it again');
    });
    this.receiver.onInboxChanged.on(() => {
      this.onInboxChanged.emit();
      this.archive.uploadSoon();
    });
    // What the archive's restore, profiles, avatars, usernames and imported contacts put in the inbox.
    for (const source of [this.archive, this.profiles.peers, this.profiles.peerAvatars, this.usernames, this.contactImport]) {
      source.onInboxChanged.on(() => this.onInboxChanged.emit());
    }
    this.receiver.onOutboxChanged.on(() => this.receiptFlush.request());
    this.receiver.onPreferencesChanged.on(() => this.preferences.announce());
    this.receiver.onProfileKeys.on((keys) => {
      this.profiles.received(keys);
      if (keys.usernames.length > 0) this.profiles.run('username.refresh_failed', () => this.usernames.refresh(keys.usernames));
    });
    this.receiver.onTyping.on((changes) => {
      for (const change of changes) this.onTyping.emit(change);
    });
    this.receiver.onReceipts.on((receipts) => this.outcomes.receipts(receipts, account.accountId));
    this.outbox.onSent.on((entry) => {
      if (entry.content.kind === 'text') this.archive.uploadSoon();
      this.outcomes.sent(entry);
    });
    this.outbox.onFailed.on((failure) => this.outcomes.failed(failure));
  }

  /**
   * The core of a registered profile. Throws NotRegisteredError, or InsecureTransportError when
   * the account's server is http:// to another machine and `allowInsecureTransport` is not set.
   */
  static open(options: ParleyCoreOptions): ParleyCore {
    const account = readAccount(options.vault.transaction());
    if (!account) throw new NotRegisteredError();
    return new ParleyCore(options, account);
  }

  /** Connects (and keeps reconnecting) until stop(). */
  start() {
    const window = this.options.dedupWindowMs ?? LIMITS.defaultRetentionMs + 24 * 60 * 60 * 1000;
    this.options.vault.deleteOlderThan('processed', dayOf(this.options.clock.now() - window));
    this.connection.start();
  }

  /**
   * Disconnects, then waits for all work in flight (received batches, sends, prekey uploads)
   * to settle, so the vault can be closed right after.
   */
  async stop() {
    // Receipts waiting for company leave now, while the connection is up (a short-lived process,
    // such as the CLI's receive, would otherwise take them away unsent). Bounded: stopping must
    // not hang on a server that has gone quiet; what is not sent waits in the outbox.
    if (this.receiptFlush.pending) {
      this.receiptFlush.cancel();
      await Promise.race([this.outbox.flush(), new Promise((resolve) => setTimeout(resolve, STOP_RECEIPT_WAIT_MS).unref())]);
    }
    await this.connection.stop();
    this.catchUp.stop();
    await Promise.all([this.outboxWrites.idle(), this.receiver.idle(), this.outbox.stop(), this.upkeep.idle()]);
    await this.receiver.idle();
    // Last: batches and sends that finished above may have started an upload or a profile fetch.
    await this.profiles.idle();
    await this.archive.stop();
    // Asked for by a batch that finished while stopping: those receipts wait in the outbox for the next start.
    this.receiptFlush.cancel();
  }

  get isConnected() {
    return this.connection.isOpen;
  }

  /**
   * Puts a text message in the outbox and starts sending it. Resolves with its id once it is
   * durable (messages put in one turn share one commit); `onMessageStatus` says when the server
   * has stored it ('sent').
   */
  async sendText(to: { username: string } | { accountId: string }, text: string): Promise<TextContent> {
    checkText(text);
    const accountId = 'accountId' in to ? to.accountId : await this.contacts.accountIdOf(to.username);
    if (this.preferences.isBlocked(accountId)) throw new RecipientBlockedError();
    const message = this.texts.next(text);
    const syncContent = { kind: 'sent_transcript', to: accountId, message } as const;
    // The transcript is the larger of the two; escaped characters can make JSON far longer than the text.
    if (encodeContent(syncContent).length > LIMITS.contentMaxBytes) throw new MessageTooLongError();
    await this.outboxWrites.add(outboxEntry({ to: accountId, content: message, syncContent, createdAt: message.sentAt }));
    this.profiles.sent(accountId);
    return message;
  }

  /**
   * Changes the synced settings and the profile and avatar keys they decide (Profiles.changePreferences):
   * a block or a narrower avatar audience rotates them past whoever was left out (B3, A4).
   */
  changePreferences(changes: PreferenceChange[]): Promise<Preferences> {
    return this.profiles.changePreferences(changes);
  }

  /**
   * Read receipts (the history store marked these messages read), through the outbox like
   * delivery receipts: durable when the promise resolves, merged per recipient, sent when
   * connected; and the same reads to my other devices (read_sync), so they mark them read too.
   */
  async sendReadReceipts(receipts: Array<{ accountId: string; messageIds: string[] }>): Promise<void> {
    const transaction = this.options.vault.transaction();
    enqueueReadReceipts(transaction, receipts, this.account.accountId, this.options.clock.now());
    const durable = transaction.commit();
    void this.outbox.flush();
    await durable;
  }

  /**
   * C8: tells the other party's connected devices that I am (or stopped) typing. Best effort:
   * not in the outbox, never retried, skipped for devices without a session. Resolves with what
   * happened; never rejects for the network.
   */
  sendTyping(accountId: string, typing: boolean): Promise<TypingOutcome> {
    return this.typing.send(accountId, typing);
  }

  /** How the catch-up after the latest connect stands; `onCatchUpProgress` tells its progress. */
  get catchUpProgress(): CatchUpProgress {
    return this.catchUp.current;
  }

  /** Where the connection to the server stands now; `onConnectionStateChange` tells each change. */
  get connectionState(): ConnectionState {
    return this.connection.currentState;
  }

  /**
   * Resolves when the server has stored the message; rejects if it was refused. A send that
   * ended before the call (one of the latest 10,000 of this run) answers at once.
   */
  waitUntilSent(messageId: string): Promise<void> {
    return this.outcomes.waitUntilSent(messageId);
  }

  /** Items waiting for the history store, oldest first. */
  readInbox(limit = 1_000): InboxItem[] {
    return this.options.vault.list('inbox', limit).map((bytes) => JSON.parse(bytes.toString('utf8')) as InboxItem);
  }

  /** The history store has these items: drop them from the inbox. Idempotent. */
  confirmInbox(inboxIds: string[]) {
    const transaction = this.options.vault.transaction();
    for (const id of inboxIds) transaction.delete('inbox', id);
    void transaction.commit('relaxed'); // after a power cut the history store simply gets them again
    this.archive.inboxDrained();
  }

  /** Resolves once everything received so far is committed. */
  idle() {
    return this.receiver.idle();
  }

  get outboxSize() {
    return this.outbox.pending;
  }
}
