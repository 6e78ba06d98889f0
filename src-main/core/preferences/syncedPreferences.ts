import {
  BLOCKED_MAX,
  CONTACT_NAMES_MAX,
  CONTACTS_MAX,
  DEFAULT_PREFERENCES,
  preferenceRegisterSchema,
  type PreferenceRegister,
  type SyncedChange,
  type Preferences,
  type StampedPreference,
} from '../../../src-shared/domain/preferences';
import type { PreferencesSyncContent } from '../../../src-shared/protocol/content';
import { enqueueOutgoing } from '../sync/outboxEntry';
import { Emitter } from '../util/emitter';
import type { Vault } from '../vault/vault';
import type { VaultTransaction } from '../vault/vaultTransaction';

export class TooManyBlockedError extends Error {
  constructor() {
    super(`at most ${BLOCKED_MAX} people can be blocked`);
    this.name = 'TooManyBlockedError';
  }
}

export class TooManyContactNamesError extends Error {
  constructor() {
    super(`at most ${CONTACT_NAMES_MAX} names can be saved`);
    this.name = 'TooManyContactNamesError';
  }
}

export class TooManyContactsError extends Error {
  constructor() {
    super(`at most ${CONTACTS_MAX} contacts can be kept`);
    this.name = 'TooManyContactsError';
  }
}

export class BlockSelfError extends Error {
  constructor() {
    super('you cannot block yourself');
    this.name = 'BlockSelfError';
  }
}

/** Changes per preferences_sync message (the content schema's bound). */
const CHANGES_PER_MESSAGE = 1_000;

/** Where a change lives: one register per setting, and one per account for the block list, saved names and contacts. */
const registerKey = (change: SyncedChange) => {
  if (change.key === 'blocked') return `blocked:${change.accountId}`;
  if (change.key === 'contactName') return `contactName:${change.accountId}`;
  if (change.key === 'contact') return `contact:${change.accountId}`;
  return change.key;
};

/** Whether `incoming` wins over `held`: the later clock, and on a tie the greater device id. */
const wins = (incoming: { clock: number; deviceId: number }, held: PreferenceRegister | undefined) =>
  !held || incoming.clock > held.clock || (incoming.clock === held.clock && incoming.deviceId > held.deviceId);

/**
 * The settings that follow me to every device of my account (B3's block list, F3's who can call
 * me), synced end to end. Each setting, and each blocked account, is a last-writer-wins register
 * stamped with a Lamport clock: a change here takes a clock past every one this device has seen
 * and goes to my other devices as a `preferences_sync` in the outbox, in the same vault commit;
 * a change from another of my devices is merged in the receiver's batch. Nothing of it is ever
 * told to the server (the sync message is end-to-end encrypted like any other).
 */
export class SyncedPreferences {
  /** The settings changed (here or on another of my devices), once committed here. */
  readonly onChange = new Emitter<Preferences>();
  private readonly registers = new Map<string, PreferenceRegister>();
  private clock = 0;

  constructor(
    private readonly options: {
      vault: Vault;
      accountId: string;
      deviceId: number;
      now: () => number;
      /** Starts sending what was put in the outbox. */
      flushOutbox: () => void;
    },
  ) {
    for (const bytes of options.vault.list('preference', BLOCKED_MAX + CONTACT_NAMES_MAX + CONTACTS_MAX + 100)) {
      const parsed = preferenceRegisterSchema.safeParse(JSON.parse(bytes.toString('utf8')));
      if (parsed.success) this.hold(parsed.data);
    }
  }

  get current(): Preferences {
    const blocked: PreferenceRegister[] = [];
    const contacts: PreferenceRegister[] = [];
    let { whoCanCall, avatarVisibility, suggestFrequent } = DEFAULT_PREFERENCES;
    const contactNames: Record<string, string> = {};
    for (const register of this.registers.values()) {
      const { change } = register;
      if (change.key === 'blocked' && change.value) blocked.push(register);
      if (change.key === 'contact' && change.value) contacts.push(register);
      if (change.key === 'whoCanCall') whoCanCall = change.value;
      if (change.key === 'avatarVisibility') avatarVisibility = change.value;
      if (change.key === 'suggestFrequent') suggestFrequent = change.value;
      if (change.key === 'contactName' && change.value !== '') contactNames[change.accountId] = change.value;
    }
    const oldestFirst = (a: PreferenceRegister, b: PreferenceRegister) => a.clock - b.clock || a.deviceId - b.deviceId;
    const accountIds = (registers: PreferenceRegister[]) => registers.sort(oldestFirst).map((register) => (register.change as { accountId: string }).accountId);
    return { whoCanCall, blocked: accountIds(blocked), contactNames, avatarVisibility, contacts: accountIds(contacts), suggestFrequent };
  }

  /** A2: the account's profile key, once a device of mine made one (never handed to the renderer). */
  get profileKey(): Buffer | undefined {
    const change = this.registers.get('profileKey')?.change;
    return change?.key === 'profileKey' ? Buffer.from(change.value, 'base64') : undefined;
  }

  /** A4: the key my avatar is sealed with, once a device of mine made one (never handed to the renderer). */
  get avatarKey(): Buffer | undefined {
    const change = this.registers.get('avatarKey')?.change;
    return change?.key === 'avatarKey' ? Buffer.from(change.value, 'base64') : undefined;
  }

  get avatarVisibility() {
    const change = this.registers.get('avatarVisibility')?.change;
    return change?.key === 'avatarVisibility' ? change.value : DEFAULT_PREFERENCES.avatarVisibility;
  }

  isBlocked(accountId: string): boolean {
    const change = this.registers.get(`blocked:${accountId}`)?.change;
    return change?.key === 'blocked' && change.value;
  }

  /** B2: whether `accountId` is one of my contacts. */
  isContact(accountId: string): boolean {
    const change = this.registers.get(`contact:${accountId}`)?.change;
    return change?.key === 'contact' && change.value;
  }

  /**
   * Makes `changes` here and passes them to my other devices; resolves with the new settings once
   * both are on disk. Throws BlockSelfError, TooManyBlockedError, TooManyContactNamesError or TooManyContactsError, changing nothing.
   */
  async change(changes: SyncedChange[]): Promise<Preferences> {
    const { vault, accountId, deviceId } = this.options;
    let blocking = this.current.blocked.length;
    let named = [...this.registers.keys()].filter((key) => key.startsWith('contactName:')).length;
    let contacts = [...this.registers.keys()].filter((key) => key.startsWith('contact:')).length;
    for (const change of changes) {
      if (change.key === 'contactName' && !this.registers.has(registerKey(change))) named += 1;
      if (change.key === 'contact' && !this.registers.has(registerKey(change))) contacts += 1;
      if (change.key !== 'blocked') continue;
      if (change.accountId === accountId) throw new BlockSelfError();
      if (change.value && !this.isBlocked(change.accountId)) blocking += 1;
    }
    if (blocking > BLOCKED_MAX) throw new TooManyBlockedError();
    if (named > CONTACT_NAMES_MAX) throw new TooManyContactNamesError();
    if (contacts > CONTACTS_MAX) throw new TooManyContactsError();
    const transaction = vault.transaction();
    const stamped: StampedPreference[] = changes.map((change) => ({ change, clock: ++this.clock }));
    for (const entry of stamped) this.store(transaction, { ...entry, deviceId });
    // My other devices take them too (with none, the outbox has nothing to send and is done).
    for (let start = 0; start < stamped.length; start += CHANGES_PER_MESSAGE) {
      const content: PreferencesSyncContent = { kind: 'preferences_sync', changes: stamped.slice(start, start + CHANGES_PER_MESSAGE) };
      enqueueOutgoing(transaction, { to: accountId, content, createdAt: this.options.now() });
    }
    await transaction.commit();
    this.options.flushOutbox();
    const current = this.current;
    this.onChange.emit(current);
    return current;
  }

  /**
   * Merges changes another of my devices made (its `preferences_sync`), staged in the receiver's
   * transaction; true when any of them won. Announce with `announce()` once that commit is durable.
   */
  merge(transaction: VaultTransaction, changes: StampedPreference[], fromDeviceId: number): boolean {
    let changed = false;
    for (const entry of changes) {
      const register = { ...entry, deviceId: fromDeviceId };
      if (wins(register, this.registers.get(registerKey(entry.change)))) {
        this.store(transaction, register);
        changed = true;
      } else this.clock = Math.max(this.clock, entry.clock);
    }
    return changed;
  }

  announce() {
    this.onChange.emit(this.current);
  }

  /** Every register, for a device being linked: it starts with the same settings as this one. */
  registersForLink(): PreferenceRegister[] {
    return [...this.registers.values()];
  }

  private store(transaction: VaultTransaction, register: PreferenceRegister) {
    transaction.putJson('preference', registerKey(register.change), register);
    this.hold(register);
  }

  private hold(register: PreferenceRegister) {
    this.registers.set(registerKey(register.change), register);
    this.clock = Math.max(this.clock, register.clock);
  }
}

/** A newly linked device's settings, as the device that linked it held them; staged with its keys. */
export function stageLinkedPreferences(transaction: VaultTransaction, registers: PreferenceRegister[]): void {
  for (const register of registers) transaction.putJson('preference', registerKey(register.change), register);
}
