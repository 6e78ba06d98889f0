import { randomBytes } from 'node:crypto';
import type { AccountState, AccountSummary, LinkProgress } from '../../../src-shared/ipc/account';
import type { ServiceName } from '../../../src-shared/ipc/bridge';
import { thisDeviceDetails } from '../account/deviceDetails';
import type { DeviceSession } from '../../../src-shared/domain/devices';
import type { AccountRecord } from '../account/accountRecord';
import { registerAccount, type RegisterOptions } from '../account/registerAccount';
import { devicesOfAccount, startFresh } from '../account/startFresh';
import { qrPathOf } from '../linking/linkQr';
import { LinkFailedError, LinkRequest } from '../linking/requestLink';
import type { BridgeEvent } from '../bridge/bridgeHost';
import { ParleyCore } from '../parleyCore';
import { Emitter } from '../util/emitter';
import { SerialQueue } from '../util/serialQueue';
import type { Vault } from '../vault/vault';
import type { BridgeHostOptions } from './openBridgeHost';
import {
  createVault,
  openVault,
  readProfileKey,
  removeVault,
  unsealWithKeychain,
  unwrapWithPassword,
  wipeProfileKeys,
  writeKeyFile,
  renameKeyFileOwner,
} from './profileKeyFile';
import { endedSessionNotice, type EndedSession } from './endedSessionNotice';

/** The renderer's history store key, kept in the vault (ARCHITECTURE §2). */
const HISTORY_KEY = 'historyStorageKey';
/** What the server lists for this device. */
const DEVICE_NAME = 'Parley desktop';

export class AlreadySignedInError extends Error {
  constructor() {
    super('this profile already has an account');
    this.name = 'AlreadySignedInError';
  }
}

export class NotSignedInError extends Error {
  constructor() {
    super('sign in first');
    this.name = 'NotSignedInError';
  }
}

export class NoAccountError extends Error {
  constructor() {
    super('this profile has no account yet');
    this.name = 'NoAccountError';
  }
}

export class PasswordNeededError extends Error {
  constructor() {
    super('choose a password that locks this profile');
    this.name = 'PasswordNeededError';
  }
}

export class LinkInProgressError extends Error {
  constructor() {
    super('this profile is being linked to an account: cancel that first');
    this.name = 'LinkInProgressError';
  }
}

export class KeychainProfileError extends Error {
  constructor() {
    super("this profile's key is sealed by the system keychain: open it with the desktop app");
    this.name = 'KeychainProfileError';
  }
}

/** A link this profile is waiting for (C5): the code shown, and the promise that ends it either way. */
type LinkAttempt = { request: LinkRequest; progress: Extract<LinkProgress, { status: 'waiting' }>; done: Promise<void> };

type SignedIn = { vault: Vault; core: ParleyCore; historyKey: Buffer; stopListening: Array<() => void> };

type Phase =
  | { status: 'signed_out'; endedSession?: EndedSession }
  | { status: 'locked'; username: string }
  | ({ status: 'signed_in' } & SignedIn)
  | { status: 'closed' };

/**
 * One profile's lifecycle: signed out → (register) → signed in; locked → (unlock) → signed in;
 * any → (close) → closed. Lifecycle steps run one at a time, so two unlocks never open the vault
 * twice. While signed in it runs the core and turns its events into bridge events.
 */
export class ProfileSession {
  readonly onEvent = new Emitter<BridgeEvent>();
  private phase: Phase = { status: 'signed_out' };
  private readonly lifecycle = new SerialQueue();
  private linking: LinkAttempt | undefined;

  private constructor(private readonly options: BridgeHostOptions) {}

  static async open(options: BridgeHostOptions): Promise<ProfileSession> {
    const session = new ProfileSession(options);
    const key = readProfileKey(options.profileDir);
    const endedSession = endedSessionNotice.read(options.profileDir);
    if (endedSession) session.phase = { status: 'signed_out', endedSession };
    if (key.kind === 'password') {
      session.phase = { status: 'locked', username: key.file.username ?? '' };
    } else if (key.kind === 'keychain') {
      if (options.keyProtection.kind !== 'keychain') throw new KeychainProfileError();
      session.signIn(openVault(options.profileDir, unsealWithKeychain(key.sealed, options.keyProtection.keychain)));
    }
    return session;
  }

  get state(): AccountState {
    const phase = this.phase;
    if (phase.status === 'signed_in') return { status: 'signed_in', account: summaryOf(phase.core) };
    if (phase.status === 'locked') return { status: 'locked', username: phase.username };
    if (phase.status === 'signed_out' && phase.endedSession) return { status: 'signed_out', endedSession: { accountId: phase.endedSession.accountId } };
    return { status: 'signed_out' };
  }

  /** The running core; throws NotSignedInError otherwise. */
  get core(): ParleyCore {
    return this.signedIn().core;
  }

  get historyKey(): Buffer {
    return this.signedIn().historyKey;
  }

  /** Whether startLink needs a password: this shell locks the profile with one (no OS keychain). */
  get linkNeedsPassword(): boolean {
    return this.options.keyProtection.kind === 'password';
  }

  /**
   * Makes this signed-out profile ask to be linked to an existing account (C5): answers the
   * code to show at once, and signs in (onDidChangeState) when a device of the account answers
   * it, or reports why not (onDidChangeLink `failed`, the profile left without an account).
   * Asked again while waiting, it answers the same code.
   */
  startLink(password: string | undefined): Promise<Extract<LinkProgress, { status: 'waiting' }>> {
    return this.lifecycle.run(async () => {
      if (this.phase.status === 'closed') throw new NotSignedInError();
      if (this.phase.status !== 'signed_out') throw new AlreadySignedInError();
      if (this.linking) return this.linking.progress;
      if (this.linkNeedsPassword && !password) throw new PasswordNeededError();
      const { profileDir, serverUrl, clock, allowInsecureTransport } = this.options;
      const { vault, vaultKey } = createVault(profileDir);
      let request: LinkRequest;
      try {
        request = await LinkRequest.open({ vault, serverUrl, deviceName: DEVICE_NAME, deviceDetails: thisDeviceDetails('desktop'), clock, allowInsecureTransport });
      } catch (error) {
        vault.close();
        removeVault(profileDir);
        throw error;
      }
      const progress = { status: 'waiting' as const, code: request.code, expiresAt: request.expiresAt, qr: qrPathOf(request.code) };
      const attempt: LinkAttempt = { request, progress, done: Promise.resolve() };
      attempt.done = this.completeLink(attempt, vault, vaultKey, password);
      this.linking = attempt;
      return progress;
    });
  }

  /** Gives up the link being waited for; resolves once the profile is as it was. */
  cancelLink(): Promise<void> {
    return this.lifecycle.run(() => this.abandonLink());
  }

  private async abandonLink() {
    const attempt = this.linking;
    if (!attempt) return;
    attempt.request.cancel();
    await attempt.done;
  }

  /** Runs outside the lifecycle queue (cancelLink waits for it there); register and startLink refuse while it runs. */
  private async completeLink(attempt: LinkAttempt, vault: Vault, vaultKey: Buffer, password: string | undefined): Promise<void> {
    const { profileDir, keyProtection } = this.options;
    try {
      const account = await attempt.request.linked();
      ensureHistoryKey(vault);
      await writeKeyFile(profileDir, vaultKey, keyProtection.kind === 'keychain' ? keyProtection : { kind: 'password', password: password ?? '', username: account.username });
      endedSessionNotice.clear(profileDir);
      this.linking = undefined;
      if (this.phase.status !== 'signed_out') return vault.close(); // closed meanwhile: the next start opens it
      this.signIn(vault);
    } catch (error) {
      this.linking = undefined;
      vault.close();
      removeVault(profileDir);
      const failure: LinkProgress =
        error instanceof LinkFailedError
          ? { status: 'failed', reason: error.reason, message: error.message }
          : { status: 'failed', reason: 'unreachable', message: 'the server could not be reached while linking: try again' };
      this.options.logger.warn('host.link_failed', { reason: failure.reason });
      this.onEvent.emit({ service: 'account', event: 'onDidChangeLink', payload: failure });
    }
  }

  /** Creates an account (A1) with this profile as its first device, and signs in. */
  register(username: string, password: string): Promise<AccountSummary> {
    return this.becomeDevice(username, password, registerAccount);
  }

  /**
   * Signs this signed-out profile in to an existing account by its password alone, starting the
   * account over (C5, no device left to link from; see startFresh): the renderer asks only after
   * the person confirmed that the history and every other session go.
   */
  startFresh(username: string, password: string): Promise<AccountSummary> {
    return this.becomeDevice(username, password, startFresh);
  }

  /** Where an account is signed in, to whoever knows its password (what a machine about to start it fresh names). */
  devicesOfAccount(username: string, password: string): Promise<DeviceSession[]> {
    return this.lifecycle.run(async () => {
      this.assertSignedOut();
      const { serverUrl, allowInsecureTransport } = this.options;
      return devicesOfAccount({ serverUrl, username, password, allowInsecureTransport });
    });
  }

  private assertSignedOut() {
    if (this.phase.status === 'closed') throw new NotSignedInError();
    if (this.phase.status !== 'signed_out') throw new AlreadySignedInError();
    if (this.linking) throw new LinkInProgressError();
  }

  /** Makes this signed-out profile a device of an account (`make` registers it with the server), and signs in. */
  private becomeDevice(username: string, password: string, make: (options: RegisterOptions) => Promise<AccountRecord>): Promise<AccountSummary> {
    return this.lifecycle.run(async () => {
      this.assertSignedOut();
      const { profileDir, serverUrl, clock, keyProtection, allowInsecureTransport } = this.options;
      const { vault, vaultKey } = createVault(profileDir);
      try {
        await make({
          vault,
          serverUrl,
          username,
          password,
          deviceName: DEVICE_NAME,
          deviceDetails: thisDeviceDetails('desktop'),
          clock,
          allowInsecureTransport,
        });
        ensureHistoryKey(vault);
        await writeKeyFile(
          profileDir,
          vaultKey,
          keyProtection.kind === 'keychain' ? keyProtection : { kind: 'password', password, username },
        );
      } catch (error) {
        vault.close();
        removeVault(profileDir);
        throw error;
      }
      endedSessionNotice.clear(profileDir);
      this.signIn(vault);
      return summaryOf(this.core);
    });
  }

  unlock(password: string): Promise<AccountSummary> {
    return this.lifecycle.run(async () => {
      if (this.phase.status === 'signed_in') throw new AlreadySignedInError();
      const key = readProfileKey(this.options.profileDir);
      if (this.phase.status === 'closed') throw new NotSignedInError();
      if (this.phase.status !== 'locked' || key.kind !== 'password') throw new NoAccountError();
      const vault = openVault(this.options.profileDir, await unwrapWithPassword(key.file, password));
      this.signIn(vault);
      return summaryOf(this.core);
    });
  }

  /** Stops the core and closes the vault; every later call answers not_signed_in. */
  close(): Promise<void> {
    return this.lifecycle.run(async () => {
      const phase = this.phase;
      this.phase = { status: 'closed' };
      await this.abandonLink();
      if (phase.status !== 'signed_in') return;
      for (const stop of phase.stopListening) stop();
      try {
        await phase.core.stop();
      } finally {
        phase.vault.close();
      }
    });
  }

  /**
   * Another device ended this one's session (A9): the core stops, and the vault and the keys
   * that open it are deleted; the notice left behind tells the renderer to delete the history
   * store and show why (now, or at the next start if no window is open).
   */
  private endSession(): Promise<void> {
    return this.lifecycle.run(async () => {
      const phase = this.phase;
      if (phase.status !== 'signed_in') return;
      const accountId = phase.core.account.accountId;
      this.options.logger.warn('host.session_ended', { deviceId: phase.core.account.deviceId });
      for (const stop of phase.stopListening) stop();
      // Signed out first: whatever fails below, nothing uses this vault again.
      this.phase = { status: 'signed_out', endedSession: { accountId } };
      try {
        await phase.core.stop();
      } finally {
        phase.vault.close();
      }
      wipeProfileKeys(this.options.profileDir);
      endedSessionNotice.write(this.options.profileDir, { accountId });
      this.onEvent.emit({ service: 'account', event: 'onDidChangeState', payload: this.state });
    });
  }

  private signedIn(): SignedIn {
    if (this.phase.status !== 'signed_in') throw new NotSignedInError();
    return this.phase;
  }

  /** Starts the core of an open, registered vault; closes the vault if that fails. */
  private signIn(vault: Vault) {
    const { clock, logger, allowInsecureTransport } = this.options;
    let core: ParleyCore;
    let historyKey: Buffer;
    try {
      historyKey = ensureHistoryKey(vault);
      core = ParleyCore.open({ vault, clock, logger, allowInsecureTransport });
    } catch (error) {
      vault.close();
      throw error;
    }
    const emit = (service: ServiceName, event: string, payload: unknown) => this.onEvent.emit({ service, event, payload });
    const stopListening = [
      core.onInboxChanged.on(() => emit('messaging', 'onDidReceive', null)),
      core.onMessageStatus.on((change) => emit('messaging', 'onDidChangeMessageStatus', change)),
      core.onConnectionStateChange.on((status) => emit('messaging', 'onDidChangeConnection', status)),
      core.onTyping.on((change) => emit('messaging', 'onDidChangeTyping', change)),
      core.onCatchUpProgress.on((progress) => emit('messaging', 'onDidChangeCatchUp', progress)),
      core.archive.onRestoreProgress.on((progress) => emit('archive', 'onDidChangeRestore', progress)),
      core.preferences.onChange.on((preferences) => emit('preferences', 'onDidChange', preferences)),
      core.profiles.own.onChange.on((profile) => emit('profile', 'onDidChange', profile)),
      core.profiles.ownAvatar.onChange.on((image) => emit('profile', 'onDidChangeAvatar', { image })),
      core.usernames.onOwnChanged.on((username) => {
        renameKeyFileOwner(this.options.profileDir, username);
        emit('account', 'onDidChangeState', this.state);
      }),
      core.onFatal.on((reason) => logger.error('host.connection_stopped', { reason })),
      core.onSessionEnded.on(() =>
        this.endSession().catch((error: unknown) => logger.error('host.session_end_failed', { error: error instanceof Error ? error.name : 'unknown' })),
      ),
    ];
    this.phase = { status: 'signed_in', vault, core, historyKey, stopListening };
    core.start();
    logger.info('host.signed_in', { deviceId: core.account.deviceId });
    emit('account', 'onDidChangeState', this.state);
  }
}

const summaryOf = (core: ParleyCore): AccountSummary => ({
  accountId: core.account.accountId,
  username: core.account.username,
  deviceId: core.account.deviceId,
});

/** The history key, made on first use (a profile registered by the command line has none yet). */
function ensureHistoryKey(vault: Vault): Buffer {
  const transaction = vault.transaction();
  const existing = transaction.get('meta', HISTORY_KEY);
  if (existing) return Buffer.from(existing);
  const created = randomBytes(32);
  transaction.put('meta', HISTORY_KEY, created);
  transaction.commitNow();
  return created;
}
