import { randomUUID } from 'node:crypto';
import type { Clock, Logger } from '../../../src-shared/domain/runtime';
import type { OutgoingEnvelope } from '../../../src-shared/protocol/frames';
import type { ServerApi } from '../api/serverApi';
import { encodeContent } from '../signal/contentCodec';
import { encryptForDevice, protocolAddress } from '../signal/messageCipher';
import { protocolStores } from '../signal/protocolStores';
import type { SerialQueue } from '../util/serialQueue';
import type { Vault } from '../vault/vault';
import { DeviceDirectory } from './deviceDirectory';
import type { LocalDevice } from './localDevice';
import { ConnectionLostError, type ServerConnection } from './serverConnection';

export type TypingSenderOptions = {
  vault: Vault;
  cryptoQueue: SerialQueue;
  local: LocalDevice;
  connection: ServerConnection;
  api: ServerApi;
  clock: Clock;
  logger: Logger;
};

/** Why a typing indicator did not go out (it is never retried). */
export type TypingOutcome = 'sent' | 'offline' | 'no_session' | 'refused';

/**
 * C8's typing indicators: best effort and online-only. Encrypted only to the recipient's
 * devices this device already has a session with (never fetching a prekey bundle, so an
 * indicator never spends one of their one-time prekeys), sent with `onlineOnly` so the server
 * drops it for devices that are not connected, never put in the outbox, never retried.
 */
export class TypingSender {
  constructor(private readonly options: TypingSenderOptions) {}

  async send(to: string, typing: boolean): Promise<TypingOutcome> {
    const { connection, cryptoQueue, logger, clock, local } = this.options;
    if (to === local.accountId) return 'no_session';
    if (!connection.isOpen) return 'offline';
    const { envelopes, durable } = await cryptoQueue.run(() => this.encrypt(to, typing));
    if (envelopes.length === 0) return 'no_session';
    // Off the crypto queue, so receiving goes on meanwhile; nothing leaves before the disk has the sessions.
    await durable;
    try {
      const result = await connection.request({
        type: 'send',
        idempotencyKey: randomUUID(),
        to,
        timestamp: clock.now(),
        envelopes,
        onlineOnly: true,
      });
      if (result.ok) return 'sent';
      logger.debug('typing.refused', { code: result.error.code });
      return 'refused';
    } catch (error) {
      if (error instanceof ConnectionLostError) return 'offline';
      throw error;
    }
  }

  /**
   * One ciphertext per device with a session. The advanced sessions are committed (durably)
   * before anything leaves: a ratchet step that went out must never be used again.
   */
  private async encrypt(to: string, typing: boolean): Promise<{ envelopes: OutgoingEnvelope[]; durable: Promise<void> }> {
    const { vault, clock, local, api } = this.options;
    const now = new Date(clock.now());
    const transaction = vault.transaction();
    const stores = protocolStores(transaction, () => clock.now());
    const directory = new DeviceDirectory(transaction, stores, api, local, () => now);
    const plaintext = encodeContent({ kind: 'typing', typing });
    const envelopes: OutgoingEnvelope[] = [];
    for (const deviceId of directory.known(to)) {
      const address = protocolAddress(to, deviceId);
      const session = await stores.session.getSession(address);
      if (!session?.hasCurrentState(now)) continue;
      envelopes.push(await encryptForDevice(stores, local.address, address, plaintext, now));
    }
    if (envelopes.length === 0) return { envelopes, durable: Promise.resolve() };
    const durable = transaction.commit();
    durable.catch(() => undefined); // awaited by send()
    return { envelopes, durable };
  }
}
