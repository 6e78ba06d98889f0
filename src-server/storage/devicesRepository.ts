import type { Kysely, Selectable } from 'kysely';
import { devicePlatformSchema, type DeviceDetails, type DeviceSession } from '../../src-shared/domain/devices';
import type { KyberPreKey, SignedPreKey } from '../../src-shared/protocol/keys';
import type { DialectName } from './dialect';
import type { Database, DevicesTable } from './schema';

export type DeviceRecord = {
  accountId: string;
  deviceId: number;
  name: string;
  registrationId: number;
  secretHash: string;
  signedPreKey: SignedPreKey;
  kyberLastResortPreKey: KyberPreKey;
  lastSeenDay: number;
  details: DeviceDetails;
};

/** What a send needs to know about each device it must cover. */
export type DeviceAddress = { accountId: string; deviceId: number; registrationId: number };

/** A device as a send finds it: its address and the ciphertext bytes its queue holds now. */
export type DeviceForSend = DeviceAddress & { queuedBytes: number };

export type DevicesRepository = ReturnType<typeof createDevicesRepository>;

function toRecord(row: Selectable<DevicesTable>): DeviceRecord {
  return {
    accountId: row.account_id,
    deviceId: row.device_id,
    name: row.name,
    registrationId: row.registration_id,
    secretHash: row.secret_hash,
    signedPreKey: { keyId: row.signed_pre_key_id, publicKey: row.signed_pre_key, signature: row.signed_pre_key_signature },
    kyberLastResortPreKey: {
      keyId: row.kyber_last_resort_key_id,
      publicKey: row.kyber_last_resort_key,
      signature: row.kyber_last_resort_signature,
    },
    lastSeenDay: row.last_seen_day,
    details: detailsOf(row),
  };
}

function detailsOf(row: Pick<Selectable<DevicesTable>, 'platform' | 'os_version' | 'app_version'>): DeviceDetails {
  // A value this server never writes reads as `other` rather than failing the whole list.
  const platform = devicePlatformSchema.safeParse(row.platform);
  return { platform: platform.success ? platform.data : 'other', osVersion: row.os_version, appVersion: row.app_version };
}

export function createDevicesRepository(db: Kysely<Database>, dialect: DialectName) {
  return {
    /** Throws a unique violation when the device id is already used in the account. */
    async insert(device: Omit<DeviceRecord, 'lastSeenDay' | 'details'> & { details?: DeviceDetails; day: number }): Promise<void> {
      await db
        .insertInto('devices')
        .values({
          account_id: device.accountId,
          device_id: device.deviceId,
          name: device.name,
          registration_id: device.registrationId,
          secret_hash: device.secretHash,
          signed_pre_key_id: device.signedPreKey.keyId,
          signed_pre_key: device.signedPreKey.publicKey,
          signed_pre_key_signature: device.signedPreKey.signature,
          kyber_last_resort_key_id: device.kyberLastResortPreKey.keyId,
          kyber_last_resort_key: device.kyberLastResortPreKey.publicKey,
          kyber_last_resort_signature: device.kyberLastResortPreKey.signature,
          created_day: device.day,
          last_seen_day: device.day,
          ...(device.details && {
            platform: device.details.platform,
            os_version: device.details.osVersion,
            app_version: device.details.appVersion,
          }),
        })
        .execute();
    },

    async find(accountId: string, deviceId: number): Promise<DeviceRecord | undefined> {
      const row = await db
        .selectFrom('devices')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async listByAccount(accountId: string): Promise<DeviceRecord[]> {
      const rows = await db.selectFrom('devices').selectAll().where('account_id', '=', accountId).orderBy('device_id').execute();
      return rows.map(toRecord);
    },

    /** Active sessions (A9): every device of the account, by device id, with what the list shows. */
    async listSessions(accountId: string): Promise<DeviceSession[]> {
      const rows = await db
        .selectFrom('devices')
        .select(['device_id', 'name', 'platform', 'os_version', 'app_version', 'created_day', 'last_seen_day'])
        .where('account_id', '=', accountId)
        .orderBy('device_id')
        .execute();
      return rows.map((row) => ({
        deviceId: row.device_id,
        name: row.name,
        ...detailsOf(row),
        createdDay: row.created_day,
        lastSeenDay: row.last_seen_day,
      }));
    },

    /** Renames a device; returns whether it exists. */
    async rename(accountId: string, deviceId: number, name: string): Promise<boolean> {
      const result = await db
        .updateTable('devices')
        .set({ name })
        .where('account_id', '=', accountId)
        .where('device_id', '=', deviceId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async listIds(accountId: string): Promise<number[]> {
      const rows = await db.selectFrom('devices').select('device_id').where('account_id', '=', accountId).orderBy('device_id').execute();
      return rows.map((row) => row.device_id);
    },

    /**
     * Every device of the given accounts, in one global order (account, device). On PostgreSQL
     * the rows stay locked until the transaction ends: two sends to one device then commit in
     * the order their queue sequence numbers were drawn, so a session reading its queue by
     * sequence never skips an envelope that commits late, and each device's queued-bytes counter
     * is read and changed by one batch at a time. The fixed order prevents deadlocks.
     */
    async listForSend(accountIds: readonly string[]): Promise<DeviceForSend[]> {
      const rows = await db
        .selectFrom('devices')
        .select(['account_id', 'device_id', 'registration_id', 'queued_bytes'])
        .where('account_id', 'in', accountIds)
        .orderBy('account_id')
        .orderBy('device_id')
        // NO KEY UPDATE: sends exclude each other, but foreign-key checks (prekey uploads) do not wait.
        .$if(dialect === 'postgres', (query) => query.forNoKeyUpdate())
        .execute();
      return rows.map((row) => ({
        accountId: row.account_id,
        deviceId: row.device_id,
        registrationId: row.registration_id,
        queuedBytes: Number(row.queued_bytes),
      }));
    },

    async replaceSignedPreKey(accountId: string, deviceId: number, key: SignedPreKey): Promise<void> {
      await db
        .updateTable('devices')
        .set({ signed_pre_key_id: key.keyId, signed_pre_key: key.publicKey, signed_pre_key_signature: key.signature })
        .where('account_id', '=', accountId)
        .where('device_id', '=', deviceId)
        .execute();
    },

    async replaceKyberLastResortPreKey(accountId: string, deviceId: number, key: KyberPreKey): Promise<void> {
      await db
        .updateTable('devices')
        .set({ kyber_last_resort_key_id: key.keyId, kyber_last_resort_key: key.publicKey, kyber_last_resort_signature: key.signature })
        .where('account_id', '=', accountId)
        .where('device_id', '=', deviceId)
        .execute();
    },

    /**
     * Deletes the device; its one-time prekeys, its queue and its send records go with it (the
     * foreign keys of 001-initial cascade). Returns whether it existed.
     */
    async remove(accountId: string, deviceId: number): Promise<boolean> {
      const result = await db.deleteFrom('devices').where('account_id', '=', accountId).where('device_id', '=', deviceId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Records activity at day granularity; writes only when the day changed. */
    async touchLastSeen(accountId: string, deviceId: number, day: number): Promise<void> {
      await db
        .updateTable('devices')
        .set({ last_seen_day: day })
        .where('account_id', '=', accountId)
        .where('device_id', '=', deviceId)
        .where('last_seen_day', '<', day)
        .execute();
    },
  };
}
