import type { Profile } from '../../src-shared/domain/profile';
import { addDevice, exportIdentityKeyPair } from '../../src-main/core/account/addDevice';
import { thisDeviceDetails } from '../../src-main/core/account/deviceDetails';
import { startFresh } from '../../src-main/core/account/startFresh';
import { registerAccount } from '../../src-main/core/account/registerAccount';
import { ParleyCore } from '../../src-main/core/parleyCore';
import type { MessageProbe } from '../../src-main/core/sync/messageProbe';
import { openProfileVault } from '../../src-main/core/profile/profileFiles';
import { streamLogger } from '../../src-main/core/util/streamLogger';
import type { Vault } from '../../src-main/core/vault/vault';
import type { ChatMessage, IdentityChange, InboxItem, MessageStatus, ReadElsewhere, ReceiptUpdate } from '../../src-shared/domain/messages';
import type { TemporaryDirectories } from './temporaryDirectory';

export const TEST_PASSPHRASE = 'correct horse battery staple';
export const TEST_PASSWORD = 'a long enough password';
const clock = { now: () => Date.now() };
const quietLogger = () => streamLogger(process.env.PARLEY_TEST_LOG === '1' ? 'debug' : 'silent', (line) => process.stderr.write(line));

/**
 * A registered device driven in-process, standing in for its history store: it drains the
 * inbox into `messages` (de-duplicated by message id, as the history store does) and counts how
 * often each message id was handed over.
 */
export class TestDevice {
  readonly messages: ChatMessage[] = [];
  /** Every inbox item this device's core handed over, in order. */
  readonly inboxItems: InboxItem[] = [];
  readonly handedOver = new Map<string, number>();
  /** Every receipt that came to this device, in order (one per receipt message). */
  readonly receipts: ReceiptUpdate[] = [];
  /** Reads my other devices told of (read_sync), in order. */
  readonly readElsewhere: ReadElsewhere[] = [];
  /** Secret chats opened and deleted (C4), in order. */
  readonly secretChatEvents: Array<{ change: 'started' | 'deleted'; chatId: string; peerAccountId: string; peerDeviceId: number }> = [];
  /** Contacts whose identity key changed (they started over), in order. */
  readonly identityChanges: IdentityChange[] = [];
  /** Profiles people gave me keys to (A2), latest last. */
  readonly profiles: Array<{ accountId: string; profile: Profile }> = [];
  /** A4: the avatars that reached this device's inbox, in order (null: dropped). */
  readonly avatars: Array<{ accountId: string; image: string | null }> = [];
  /** A3: the username changes that reached this device's inbox, in order. */
  readonly usernames: Array<{ accountId: string; username: string }> = [];
  readonly statuses = new Map<string, MessageStatus>();
  core!: ParleyCore;
  vault!: Vault;
  private listeners: Array<() => void> = [];

  private constructor(
    readonly username: string,
    readonly profileDir: string,
  ) {}

  static async register(serverUrl: string, username: string, directories: TemporaryDirectories): Promise<TestDevice> {
    const device = new TestDevice(username, directories.make(`profile-${username}`));
    const vault = await openProfileVault(device.profileDir, TEST_PASSPHRASE, true);
    await registerAccount({ vault, serverUrl, username, password: TEST_PASSWORD, deviceName: 'test', deviceDetails: thisDeviceDetails('cli'), clock });
    vault.close();
    return device;
  }

  /** The account started over on a new profile by its password (C5: no device left), with a new identity. */
  static async startFresh(serverUrl: string, username: string, directories: TemporaryDirectories): Promise<TestDevice> {
    const device = new TestDevice(username, directories.make(`profile-${username}-fresh`));
    const vault = await openProfileVault(device.profileDir, TEST_PASSPHRASE, true);
    await startFresh({ vault, serverUrl, username, password: TEST_PASSWORD, deviceName: 'fresh', deviceDetails: thisDeviceDetails('cli'), clock });
    vault.close();
    return device;
  }

  /** Another device of the same account: the identity key comes from this one's vault. */
  async addDevice(serverUrl: string, directories: TemporaryDirectories, deviceName = 'second'): Promise<TestDevice> {
    const identityKeyPair = exportIdentityKeyPair(this.vault); // this device is running: its vault is open
    const device = new TestDevice(this.username, directories.make(`profile-${this.username}-linked`));
    const vault = await openProfileVault(device.profileDir, TEST_PASSPHRASE, true);
    await addDevice({
      vault,
      serverUrl,
      username: this.username,
      password: TEST_PASSWORD,
      identityKeyPair,
      deviceName,
      deviceDetails: thisDeviceDetails('desktop'),
      clock,
    });
    vault.close();
    return device;
  }

  /** A profile made some other way (linked, say), driven as any other test device. */
  static ofProfile(username: string, profileDir: string): TestDevice {
    return new TestDevice(username, profileDir);
  }

  get accountId() {
    return this.core.account.accountId;
  }

  /** Opens the profile and connects. */
  async start(options: { connect?: boolean; clock?: { now(): number }; probe?: MessageProbe; receiptDelayMs?: number; passphrase?: string } = {}) {
    this.vault = await openProfileVault(this.profileDir, options.passphrase ?? TEST_PASSPHRASE);
    this.core = ParleyCore.open({
      vault: this.vault,
      clock: options.clock ?? clock,
      logger: quietLogger(),
      backoff: { initialMs: 50, maxMs: 500 },
      probe: options.probe,
      receiptDelayMs: options.receiptDelayMs,
    });
    this.listeners = [
      this.core.onInboxChanged.on(() => this.drainInbox()),
      this.core.onMessageStatus.on(({ messageId, status }) => this.statuses.set(messageId, status)),
    ];
    this.drainInbox();
    if (options.connect !== false) this.core.start();
    return this;
  }

  drainInbox() {
    for (;;) {
      const items = this.core.readInbox();
      if (items.length === 0) return;
      for (const item of items) {
        if (item.kind === 'receipt') this.receipts.push(item.receipt);
        if (item.kind === 'read') this.readElsewhere.push(item.read);
        if (item.kind === 'secret_chat') this.secretChatEvents.push({ change: item.change, ...item.secretChat });
        if (item.kind === 'identity_changed') this.identityChanges.push(item.identityChange);
        if (item.kind === 'profile') this.profiles.push({ accountId: item.accountId, profile: item.profile });
        this.inboxItems.push(item);
        if (item.kind === 'avatar') this.avatars.push({ accountId: item.accountId, image: item.image });
        if (item.kind === 'username') this.usernames.push({ accountId: item.accountId, username: item.username });
        if (item.kind !== 'message') continue;
        const count = this.handedOver.get(item.message.messageId) ?? 0;
        this.handedOver.set(item.message.messageId, count + 1);
        if (count === 0) this.messages.push(item.message);
      }
      this.core.confirmInbox(items.map((item) => item.inboxId));
    }
  }

  async stop() {
    for (const stop of this.listeners) stop();
    await this.core.stop();
    this.vault.close();
  }

  textsFrom(sender: TestDevice) {
    return this.messages.filter((message) => message.senderAccountId === sender.accountId).map((message) => message.text);
  }
}

/** Polls until `condition` holds (the system under test is event-driven; this only bounds the wait). */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
