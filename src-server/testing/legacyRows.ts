/**
 * A devices row as migration 001 made it (the columns every later schema still has), for the
 * migration tests that fill an older database by hand before upgrading it.
 */
export function legacyDeviceRow(accountId: string, deviceId: number, overrides: { name?: string; registrationId?: number; createdDay?: number; lastSeenDay?: number } = {}) {
  return {
    account_id: accountId,
    device_id: deviceId,
    name: overrides.name ?? 'd',
    registration_id: overrides.registrationId ?? 1,
    secret_hash: 'x',
    signed_pre_key_id: 1,
    signed_pre_key: 'AAAA',
    signed_pre_key_signature: 'AAAA',
    kyber_last_resort_key_id: 1,
    kyber_last_resort_key: 'AAAA',
    kyber_last_resort_signature: 'AAAA',
    created_day: overrides.createdDay ?? 1,
    last_seen_day: overrides.lastSeenDay ?? 1,
  };
}
