import type { z } from 'zod';
import type { InboxItem, MessageStatus } from '../../src-shared/domain/messages';
import type { AccountState, AccountSummary, LinkProgress } from '../../src-shared/ipc/account';
import { BRIDGE_SERVICES, type ParleyBridge } from '../../src-shared/ipc/bridge';
import type { CatchUpProgress, ConnectionStatus } from '../../src-shared/ipc/messaging';
import type { RestoreProgress } from '../../src-shared/ipc/archive';
import { DEFAULT_PREFERENCES, type PreferenceChange, type Preferences } from '../../src-shared/domain/preferences';
import { e164Of } from '../../src-shared/domain/phoneNumber';
import type { Profile } from '../../src-shared/domain/profile';
import { failure, ok, type Result } from '../../src-shared/ipc/result';
import type { DeviceListItem } from '../../src-shared/ipc/devices';

/**
 * A test double of main behind a real ParleyBridge: arguments are parsed with the contract's
 * schemas (as main's dispatcher does), results are Results, events reach listeners. It keeps an
 * inbox, a directory of people, and a log of every call, so a test can play main's part and
 * check what the renderer asked of it. The preview harness (dev/) uses it too.
 */

/** The code the fake server texts for every phone number. */
export const FAKE_PHONE_CODE = '123456';

export type BridgeCall = { service: string; method: string; argument: unknown };
type Handler = (argument: never) => Promise<Result<unknown>> | Result<unknown>;
type Listener = (payload: unknown) => void;

export type FakeMainOptions = {
  /** Where the account starts. */
  state?: AccountState;
  /** The password that unlocks a locked profile. */
  password?: string;
  /** People findable by @username: username → account id. */
  directory?: Record<string, string>;
  now?: () => number;
  /** Report 'sent' for every sendText right after it resolves (as a server that answers fast). */
  autoSent?: boolean;
};

let idCounter = 0;
/** A fresh RFC 4122 v4-shaped UUID, unique in this process (tests and previews). */
export function fakeUuid(): string {
  idCounter += 1;
  const random = Math.floor(Math.random() * 0xffff)
    .toString(16)
    .padStart(4, '0');
  return `0000${random}-0000-4000-8000-${idCounter.toString(16).padStart(12, '0')}`;
}

/** The one link code the fake makes and accepts. */
export const FAKE_LINK_CODE = 'parley-link:eyJ2IjoxfQ.AbCdEf';

/** A fixed 32-byte storage key, base64. */
export const FAKE_STORAGE_KEY = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, index) => (index * 7 + 3) & 0xff)));

export class FakeMain {
  state: AccountState;
  password: string;
  readonly directory: Map<string, string>;
  inbox: InboxItem[] = [];
  /** What `messaging.getConnectionStatus` answers; events are sent with `emit`. */
  connection: ConnectionStatus = 'open';
  /** What `messaging.getCatchUpProgress` answers. */
  catchUp: CatchUpProgress = { received: 0, total: 0, done: true };
  readonly calls: BridgeCall[] = [];
  /** What `account.linkRequirements` answers: the web shell locks a linked profile with a password. */
  linkNeedsPassword = true;
  /** What `devices.list` answers (this device first); terminate and rename change it. */
  /** The secret chats (C4) the fake core knows, by chat id. */
  readonly secretChats = new Map<string, { chatId: string; peerAccountId: string; peerDeviceId: number; startedAt: number }>();
  archiveEnabled = true;
  /** The synced settings (B3, F3) the fake core holds; `preferences.change` changes them and tells the renderer. */
  preferences: Preferences = { ...DEFAULT_PREFERENCES };
  /** My profile (A2) as the fake core holds it; `profile.save` changes it. */
  profile: Profile | null = null;
  /** My phone number (H3) as the fake server holds it; the code it "texts" is always FAKE_PHONE_CODE. */
  phone: { number: string; discoverable: boolean } | null = null;
  private pendingPhone: string | null = null;
  /** B2: imported contacts the fake core keeps; a file whose text contains "BROKEN" is refused. */
  importedContacts = 0;
  /** Accounts findable by phone number (E.164 → account id). */
  readonly phoneDirectory = new Map<string, string>();
  /** My avatar (A4) as the fake core holds it: `profile.setAvatar` keeps the picked bytes as they came (no cropping here). */
  avatar: string | null = null;
  restore: RestoreProgress = { restored: 0, total: 0, done: true };
  devices: DeviceListItem[] = [
    { deviceId: 1, name: 'Parley desktop', platform: 'linux', osVersion: '6.1.0', appVersion: 'desktop 0.1.0', createdDay: 20_000, lastSeenDay: 20_000, thisDevice: true },
  ];
  readonly sent: Array<{ messageId: string; to: string; text: string; sentAt: number }> = [];
  readonly now: () => number;
  readonly bridge: ParleyBridge;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly overrides = new Map<string, Handler>();
  private readonly autoSent: boolean;

  constructor(options: FakeMainOptions = {}) {
    this.state = options.state ?? { status: 'signed_out' };
    this.password = options.password ?? 'correct horse battery';
    this.directory = new Map(Object.entries(options.directory ?? {}));
    this.now = options.now ?? (() => Date.now());
    this.autoSent = options.autoSent ?? false;
    this.bridge = this.buildBridge();
  }

  /** Replaces one method's behaviour, e.g. `main.override('account', 'register', () => failure(...))`. */
  override(service: string, method: string, handler: Handler): void {
    this.overrides.set(`${service}.${method}`, handler);
  }

  emit(service: 'account', event: 'onDidChangeState', payload: AccountState): void;
  emit(service: 'account', event: 'onDidChangeLink', payload: LinkProgress): void;
  emit(service: 'messaging', event: 'onDidReceive', payload: null): void;
  emit(service: 'messaging', event: 'onDidChangeMessageStatus', payload: { messageId: string; status: MessageStatus }): void;
  emit(service: 'messaging', event: 'onDidChangeTyping', payload: { accountId: string; typing: boolean }): void;
  emit(service: 'messaging', event: 'onDidChangeConnection', payload: ConnectionStatus): void;
  emit(service: 'messaging', event: 'onDidChangeCatchUp', payload: CatchUpProgress): void;
  emit(service: 'archive', event: 'onDidChangeRestore', payload: RestoreProgress): void;
  emit(service: 'preferences', event: 'onDidChange', payload: Preferences): void;
  emit(service: 'profile', event: 'onDidChange', payload: Profile | null): void;
  emit(service: 'profile', event: 'onDidChangeAvatar', payload: { image: string | null }): void;
  emit(service: string, event: string, payload: unknown): void {
    for (const listener of [...(this.listeners.get(`${service}.${event}`) ?? [])]) listener(payload);
  }

  listenerCount(service: string, event: string): number {
    return this.listeners.get(`${service}.${event}`)?.size ?? 0;
  }

  /** Puts items in the inbox and tells the renderer, as the core does after a vault commit. */
  deliver(items: InboxItem[]): void {
    this.inbox.push(...items);
    this.emit('messaging', 'onDidReceive', null);
  }

  callsTo(service: string, method: string): unknown[] {
    return this.calls.filter((call) => call.service === service && call.method === method).map((call) => call.argument);
  }

  signIn(account: AccountSummary): void {
    this.state = { status: 'signed_in', account };
    this.emit('account', 'onDidChangeState', this.state);
  }

  private readonly defaults: Record<string, Handler> = {
    'account.getState': () => ok(this.state),
    'account.register': (argument: { username: string; password: string }) => {
      if (this.state.status !== 'signed_out') return failure('already_signed_in', 'this profile has an account');
      if (this.directory.has(argument.username)) return failure('username_taken', 'that username is taken');
      const account = { accountId: fakeUuid(), username: argument.username, deviceId: 1 };
      this.directory.set(account.username, account.accountId);
      this.password = argument.password;
      this.signIn(account);
      return ok(account);
    },
    'account.unlock': (argument: { password: string }) => {
      if (this.state.status !== 'locked') return failure('already_signed_in', 'not locked');
      if (argument.password !== this.password) return failure('wrong_password', 'wrong password');
      const username = this.state.username;
      const account = { accountId: this.directory.get(username) ?? fakeUuid(), username, deviceId: 1 };
      this.signIn(account);
      return ok(account);
    },
    'account.historyKey': () => (this.state.status === 'signed_in' ? ok({ storageKey: FAKE_STORAGE_KEY }) : failure('not_signed_in', 'signed out')),
    'messaging.sendText': (argument: { to: string; text: string }) => {
      const message = { messageId: fakeUuid(), to: argument.to, text: argument.text, sentAt: this.now() };
      this.sent.push(message);
      if (this.autoSent) {
        setTimeout(() => this.emit('messaging', 'onDidChangeMessageStatus', { messageId: message.messageId, status: 'sent' }), 0);
      }
      return ok({ messageId: message.messageId, sentAt: message.sentAt });
    },
    'messaging.startSecretChat': (argument: { to: string }) => {
      const chat = { chatId: fakeUuid(), peerAccountId: argument.to, peerDeviceId: 1, startedAt: this.now() };
      this.secretChats.set(chat.chatId, chat);
      return ok(chat);
    },
    'messaging.sendSecretText': (argument: { chatId: string; text: string }) => {
      if (!this.secretChats.has(argument.chatId)) return failure('not_found', 'This device has no such secret chat.');
      const message = { messageId: fakeUuid(), to: argument.chatId, text: argument.text, sentAt: this.now() };
      this.sent.push(message);
      return ok({ messageId: message.messageId, sentAt: message.sentAt });
    },
    'messaging.deleteSecretChat': (argument: { chatId: string }) =>
      this.secretChats.delete(argument.chatId) ? ok(null) : failure('not_found', 'This device has no such secret chat.'),
    'messaging.readInbox': (argument: { limit: number }) => ok(this.inbox.slice(0, argument.limit)),
    'messaging.confirmInbox': (argument: { inboxIds: string[] }) => {
      const confirmed = new Set(argument.inboxIds);
      this.inbox = this.inbox.filter((item) => !confirmed.has(item.inboxId));
      return ok(null);
    },
    'messaging.sendReadReceipts': () => ok(null),
    'messaging.sendTyping': () => ok(null),
    'messaging.getConnectionStatus': () => ok(this.connection),
    'messaging.getCatchUpProgress': () => ok(this.catchUp),
    'account.linkRequirements': () => ok({ password: this.linkNeedsPassword }),
    'account.startLink': () =>
      ok({ status: 'waiting', code: FAKE_LINK_CODE, expiresAt: this.now() + 10 * 60_000, qr: { size: 29, path: 'M4 4h1v1h-1z' } }),
    'account.cancelLink': () => ok(null),
    // A machine without the account's keys: the account is in `directory` with `password`, signed in on `devices`.
    'account.devicesOfAccount': (argument: { username: string; password: string }) => {
      if (!this.directory.has(argument.username) || argument.password !== this.password) return failure('wrong_password', 'no such account');
      return ok({ devices: this.devices.map(({ thisDevice: _thisDevice, ...device }) => device) });
    },
    'account.startFresh': (argument: { username: string; password: string }) => {
      const accountId = this.directory.get(argument.username);
      if (!accountId || argument.password !== this.password) return failure('wrong_password', 'no such account');
      const account = { accountId, username: argument.username, deviceId: this.devices.length + 1 };
      this.signIn(account);
      return ok(account);
    },
    'devices.inspectLinkCode': (argument: { code: string }) =>
      argument.code === FAKE_LINK_CODE ? ok({ name: 'Parley desktop', platform: 'linux' }) : failure('invalid_argument', 'That is not a whole link code.'),
    'devices.link': (argument: { code: string }) => {
      if (argument.code !== FAKE_LINK_CODE) return failure('invalid_argument', 'That is not a whole link code.');
      this.devices = [...this.devices, { deviceId: this.devices.length + 1, name: 'Parley desktop', platform: 'linux', osVersion: '6.1.0', appVersion: 'desktop 0.1.0', createdDay: 20_000, lastSeenDay: 20_000, thisDevice: false }];
      return ok({ name: 'Parley desktop', platform: 'linux' });
    },
    'devices.list': () => ok({ devices: this.devices }),
    'archive.getSettings': () => ok({ enabled: this.archiveEnabled }),
    'archive.setEnabled': (argument: { enabled: boolean }) => {
      this.archiveEnabled = argument.enabled;
      return ok(null);
    },
    'archive.getRestoreProgress': () => ok(this.restore),
    'profile.get': () => ok(this.profile),
    'profile.save': (argument: Profile) => {
      this.profile = argument;
      return ok(argument);
    },
    'profile.getAvatar': () => ok({ image: this.avatar }),
    'profile.setAvatar': (argument: { file: string }) => {
      this.avatar = argument.file;
      this.emit('profile', 'onDidChangeAvatar', { image: this.avatar });
      return ok({ image: this.avatar });
    },
    'profile.changeUsername': (argument: { username: string }) => {
      const username = argument.username.toLowerCase();
      if (this.directory.has(username)) return failure('username_taken', 'that username is taken');
      if (this.state.status === 'signed_in') this.state = { ...this.state, account: { ...this.state.account, username } };
      this.emit('account', 'onDidChangeState', this.state);
      return ok({ username });
    },
    'phone.get': () => ok(this.phone),
    'phone.sendCode': (argument: { number: string }) => {
      const number = e164Of(argument.number);
      if (number === null) return failure('invalid_argument', 'Enter the number with its country code, starting with +.');
      this.pendingPhone = number;
      return ok({ number });
    },
    'phone.verify': (argument: { code: string }) => {
      if (this.pendingPhone === null || argument.code.trim() !== FAKE_PHONE_CODE) return failure('invalid_argument', 'The server refused this: that code is wrong or has expired; ask for a new one');
      this.phone = { number: this.pendingPhone, discoverable: true };
      this.pendingPhone = null;
      return ok(this.phone);
    },
    'phone.setDiscoverable': (argument: { discoverable: boolean }) => {
      if (this.phone === null) return failure('not_found', 'This account has no phone number.');
      this.phone = { ...this.phone, discoverable: argument.discoverable };
      return ok(this.phone);
    },
    'phone.remove': () => {
      this.phone = null;
      return ok(null);
    },
    'contacts.importFile': (argument: { name: string; file: string }) => {
      const text = Buffer.from(argument.file, 'base64').toString('utf8');
      if (text.includes('BROKEN')) return failure('invalid_argument', 'Nothing was imported: line 2: this is not a vCard line (NAME:value).');
      const imported = (text.match(/^TEL/gm) ?? []).length;
      this.importedContacts += imported;
      return ok({ imported, skipped: 0, onParley: Math.min(imported, 1) });
    },
    'contacts.importedCount': () => ok({ count: this.importedContacts }),
    'contacts.deleteSynced': () => {
      this.importedContacts = 0;
      return ok(null);
    },
    'contacts.findByPhone': (argument: { number: string }) => {
      const number = e164Of(argument.number);
      const accountId = number === null ? undefined : this.phoneDirectory.get(number);
      const username = accountId === undefined ? undefined : [...this.directory].find(([, id]) => id === accountId)?.[0];
      return accountId !== undefined && username !== undefined ? ok({ accountId, username }) : failure('not_found', 'Nobody can be found by that number.');
    },
    'profile.removeAvatar': () => {
      this.avatar = null;
      this.emit('profile', 'onDidChangeAvatar', { image: null });
      return ok({ image: null });
    },
    'preferences.get': () => ok(this.preferences),
    'preferences.change': (argument: { changes: PreferenceChange[] }) => {
      let { whoCanCall, blocked, avatarVisibility, contacts, suggestFrequent } = this.preferences;
      const contactNames = { ...this.preferences.contactNames };
      const toggled = (list: string[], accountId: string, on: boolean) => (on ? [...list.filter((id) => id !== accountId), accountId] : list.filter((id) => id !== accountId));
      for (const change of argument.changes) {
        if (change.key === 'whoCanCall') whoCanCall = change.value;
        else if (change.key === 'avatarVisibility') avatarVisibility = change.value;
        else if (change.key === 'suggestFrequent') suggestFrequent = change.value;
        else if (change.key === 'contactName') {
          if (change.value.trim() === '') delete contactNames[change.accountId];
          else contactNames[change.accountId] = change.value.trim();
        } else if (change.key === 'contact') contacts = toggled(contacts, change.accountId, change.value);
        else blocked = toggled(blocked, change.accountId, change.value);
      }
      this.preferences = { whoCanCall, blocked, contactNames, avatarVisibility, contacts, suggestFrequent };
      this.emit('preferences', 'onDidChange', this.preferences);
      return ok(this.preferences);
    },
    'devices.renameThisDevice': (argument: { name: string }) => {
      this.devices = this.devices.map((device) => (device.thisDevice ? { ...device, name: argument.name } : device));
      return ok(null);
    },
    'devices.terminate': (argument: { deviceId: number }) => {
      const device = this.devices.find((candidate) => candidate.deviceId === argument.deviceId);
      if (!device) return failure('not_found', 'no such device');
      if (device.thisDevice) return failure('invalid_argument', 'this device');
      this.devices = this.devices.filter((candidate) => candidate !== device);
      return ok(null);
    },
    'devices.terminateOthers': () => {
      const terminated = this.devices.filter((device) => !device.thisDevice).map((device) => device.deviceId);
      this.devices = this.devices.filter((device) => device.thisDevice);
      return ok({ terminated });
    },
    'contacts.findByUsername': (argument: { username: string }) => {
      const accountId = this.directory.get(argument.username);
      return accountId ? ok({ accountId, username: argument.username }) : failure('not_found', 'no such user');
    },
    'contacts.usernameOf': (argument: { accountId: string }) => {
      const entry = [...this.directory].find(([, accountId]) => accountId === argument.accountId);
      return ok({ username: entry ? entry[0] : null });
    },
  };

  private buildBridge(): ParleyBridge {
    const bridge: Record<string, Record<string, unknown>> = {};
    for (const [service, descriptor] of Object.entries(BRIDGE_SERVICES)) {
      const client: Record<string, unknown> = {};
      for (const [method, schema] of Object.entries(descriptor.methods as Record<string, z.ZodType>)) {
        client[method] = async (argument: unknown) => {
          this.calls.push({ service, method, argument });
          const parsed = schema.safeParse(argument);
          if (!parsed.success) return failure('invalid_argument', parsed.error.issues.map((issue) => issue.message).join('; '));
          const handler = this.overrides.get(`${service}.${method}`) ?? this.defaults[`${service}.${method}`];
          if (!handler) return failure('internal', `no fake for ${service}.${method}`);
          return (handler as (value: unknown) => Promise<Result<unknown>> | Result<unknown>)(parsed.data);
        };
      }
      for (const event of descriptor.events) {
        client[event] = (listener: Listener) => {
          const key = `${service}.${event}`;
          const set = this.listeners.get(key) ?? new Set<Listener>();
          set.add(listener);
          this.listeners.set(key, set);
          return () => set.delete(listener);
        };
      }
      bridge[service] = client;
    }
    return bridge as unknown as ParleyBridge;
  }
}

/** An inbox item: a message from `from` to me. */
export function incomingMessage(from: string, text: string, sentAt: number, messageId = fakeUuid()): InboxItem {
  return {
    inboxId: `message:${from}:${messageId}`,
    kind: 'message',
    message: {
      messageId,
      conversationId: from,
      direction: 'in',
      senderAccountId: from,
      senderDeviceId: 1,
      text,
      sentAt,
      serverReceivedAt: sentAt + 40,
    },
  };
}

/** An inbox item: `from` has delivered or read my messages. */
export function receipt(from: string, receiptType: 'delivered' | 'read', messageIds: string[], at: number): InboxItem {
  return { inboxId: `receipt:${fakeUuid()}`, kind: 'receipt', receipt: { receiptType, messageIds, fromAccountId: from, at } };
}
