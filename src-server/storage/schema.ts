import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Days are whole days since the epoch (UTC): the server keeps
 * activity at day granularity only. Times in ms are bigint columns read back as numbers.
 * Key material and ciphertext are kept as the base64 text the client sent.
 */
export type AccountsTable = {
  id: string;
  /** Lower-case, as normalised by the shared username schema; unique. */
  username: string;
  /** Argon2id PHC string; the password itself is never stored. */
  password_hash: string;
  identity_key: string;
  created_day: number;
  /** 1 while the account keeps an encrypted archive (005-archive, on by default), 0 once switched off. */
  archive_enabled: Generated<number>;
  /** The highest device id the account ever gave (006-device-ids): ids are not reused. */
  last_device_id: Generated<number>;
  /** How many times the archive was switched off (007-archive-epoch): uploads name the epoch they were staged in. */
  archive_epoch: Generated<number>;
};

export type DevicesTable = {
  account_id: string;
  device_id: number;
  name: string;
  registration_id: number;
  /** SHA-256 (hex) of the device secret. */
  secret_hash: string;
  signed_pre_key_id: number;
  signed_pre_key: string;
  signed_pre_key_signature: string;
  kyber_last_resort_key_id: number;
  kyber_last_resort_key: string;
  kyber_last_resort_signature: string;
  created_day: number;
  last_seen_day: number;
  /** Active sessions' details (003-device-details): `linux`, `macos`, `windows` or `other`. */
  platform: Generated<string>;
  os_version: Generated<string>;
  app_version: Generated<string>;
  /**
   * Ciphertext bytes (base64 decoded) in this device's envelope queue, kept by the envelopes
   * repository in the same transaction as each insert and delete, so a send checks its quota
   * without summing the queue (002-queued-bytes).
   */
  queued_bytes: Generated<number>;
};

export type PreKeysTable = {
  seq: Generated<number>;
  account_id: string;
  device_id: number;
  key_id: number;
  public_key: string;
};

export type KyberPreKeysTable = PreKeysTable & { signature: string };

export type EnvelopesTable = {
  /** Queue order. Never reused (AUTOINCREMENT / bigserial), so a session's cursor stays valid. */
  seq: Generated<number>;
  /** Random, so ids reveal neither order nor volume. */
  id: string;
  destination_account_id: string;
  destination_device_id: number;
  source_account_id: string;
  source_device_id: number;
  ciphertext_type: number;
  body: string;
  server_timestamp: number;
  client_timestamp: number;
};

/**
 * Idempotency records, kept only for the idempotency window (a day by default, see
 * services/deliveryBatch.ts). `server_timestamp` is the send's exact time, not rounded: a repeat
 * must answer with the first answer, which carries it.
 */
export type SendsTable = {
  account_id: string;
  device_id: number;
  idempotency_key: string;
  server_timestamp: number;
};

/** A one-time provisioning address (004-device-linking); `body` is the sealed blob once an existing device left it. */
export type ProvisioningSlotsTable = {
  address: string;
  body: string | null;
  expires_at: number;
};

/** A one-time link token's SHA-256 (hex): one more device of the account may register with it. */
export type LinkTokensTable = {
  token_hash: string;
  account_id: string;
  expires_at: number;
  /** Set when used: 0 while its registration runs, then the device id. */
  used_device_id: number | null;
  used_secret_hash: string | null;
};

/** One sealed archive item (005-archive): opaque to the server. */
export type ArchiveItemsTable = {
  seq: Generated<number>;
  account_id: string;
  item_id: string;
  day: number;
  body: string;
};

/** An account's sealed profile (008-profiles): opaque to the server, under its key's version. */
export type ProfilesTable = {
  account_id: string;
  version: string;
  ciphertext: string;
  updated_day: number;
};

/** An account's sealed avatar (009-avatars): opaque to the server, under its avatar key's version. */
export type AvatarsTable = ProfilesTable;

/** A verified phone number (010-phone-numbers): a keyed hash to find it by, the number sealed. */
export type PhoneNumbersTable = {
  account_id: string;
  number_hash: string;
  number_sealed: string;
  discoverable: number;
  verified_day: number;
};

/** One synced contact (011-synced-contacts): the keyed hash of a number an account imported. */
export type SyncedContactsTable = { account_id: string; number_hash: string };

/** A username given up by a change (012-released-usernames), held for its account a few days. */
export type ReleasedUsernamesTable = { username: string; account_id: string; released_day: number };

export type Database = {
  accounts: AccountsTable;
  released_usernames: ReleasedUsernamesTable;
  phone_numbers: PhoneNumbersTable;
  synced_contacts: SyncedContactsTable;
  profiles: ProfilesTable;
  avatars: AvatarsTable;
  archive_items: ArchiveItemsTable;
  provisioning_slots: ProvisioningSlotsTable;
  link_tokens: LinkTokensTable;
  devices: DevicesTable;
  pre_keys: PreKeysTable;
  kyber_pre_keys: KyberPreKeysTable;
  envelopes: EnvelopesTable;
  sends: SendsTable;
};
