import type { DeviceRef } from '../../src-shared/protocol/errors';
import type { SendFrame } from '../../src-shared/protocol/frames';
import type { DeviceAddress } from '../storage/devicesRepository';
import type { AuthenticatedDevice } from './deviceAuth';
import { ServiceError } from './serviceError';

export type GivenEnvelope = SendFrame['envelopes'][number];

const refKey = (ref: DeviceRef) => `${ref.accountId}.${ref.deviceId}`;
const byAddress = (a: DeviceRef, b: DeviceRef) =>
  a.accountId === b.accountId ? a.deviceId - b.deviceId : a.accountId < b.accountId ? -1 : 1;

/** The frame's envelopes by device; throws `bad_request` when one device is named twice. */
export function envelopesByDevice(frame: SendFrame): Map<string, GivenEnvelope> {
  const given = new Map<string, GivenEnvelope>();
  for (const envelope of frame.envelopes) {
    const key = refKey(envelope);
    if (given.has(key)) throw new ServiceError('bad_request', 'a send carries at most one envelope per device');
    given.set(key, envelope);
  }
  return given;
}

/**
 * Checks that a send covers exactly the devices it must: every device of the recipient and of
 * the sender, except the sending device itself, each with the registration id it has now.
 * `devices` holds the current devices of both accounts. Throws `mismatched_devices` or
 * `stale_devices`, naming the devices, when it does not.
 */
export function checkCoverage(sender: AuthenticatedDevice, given: ReadonlyMap<string, GivenEnvelope>, devices: readonly DeviceAddress[]): void {
  const expected = devices.filter((device) => !(device.accountId === sender.accountId && device.deviceId === sender.deviceId));
  const expectedByKey = new Map(expected.map((device) => [refKey(device), device]));
  const missing = expected.filter((device) => !given.has(refKey(device))).map(({ accountId, deviceId }) => ({ accountId, deviceId }));
  const extra = [...given.values()]
    .filter((envelope) => !expectedByKey.has(refKey(envelope)))
    .map(({ accountId, deviceId }) => ({ accountId, deviceId }))
    .sort(byAddress);
  if (missing.length > 0 || extra.length > 0) {
    throw new ServiceError('mismatched_devices', 'the envelopes do not cover exactly the devices they must', { missing, extra });
  }
  const stale = [...given.values()]
    .filter((envelope) => expectedByKey.get(refKey(envelope))?.registrationId !== envelope.registrationId)
    .map(({ accountId, deviceId }) => ({ accountId, deviceId }))
    .sort(byAddress);
  if (stale.length > 0) throw new ServiceError('stale_devices', 'some devices were registered again', { stale });
}

/**
 * Checks an online-only send (src-shared/protocol/frames.ts `onlineOnly`): every envelope must be
 * for a current device of the recipient (not the sending device), with the registration id it
 * has now. Unlike a stored send it need not cover them all, nor the sender's other devices: the
 * sender encrypts only for devices it already has a session with. Throws `mismatched_devices`
 * (with `extra`) or `stale_devices`.
 */
export function checkOnlineOnlyTargets(
  sender: AuthenticatedDevice,
  given: ReadonlyMap<string, GivenEnvelope>,
  recipientDevices: readonly DeviceAddress[],
): void {
  const allowed = new Map(
    recipientDevices
      .filter((device) => !(device.accountId === sender.accountId && device.deviceId === sender.deviceId))
      .map((device) => [refKey(device), device]),
  );
  const extra = [...given.values()]
    .filter((envelope) => !allowed.has(refKey(envelope)))
    .map(({ accountId, deviceId }) => ({ accountId, deviceId }))
    .sort(byAddress);
  if (extra.length > 0) throw new ServiceError('mismatched_devices', 'some envelopes are for devices the recipient does not have', { missing: [], extra });
  const stale = [...given.values()]
    .filter((envelope) => allowed.get(refKey(envelope))?.registrationId !== envelope.registrationId)
    .map(({ accountId, deviceId }) => ({ accountId, deviceId }))
    .sort(byAddress);
  if (stale.length > 0) throw new ServiceError('stale_devices', 'some devices were registered again', { stale });
}

/**
 * Checks a one-device send (src-shared/protocol/frames.ts `oneDevice`, C4's secret chats):
 * exactly one envelope, for a current device of the recipient, which is another account, with
 * the registration id it has now. Throws `bad_request`, `mismatched_devices` (with `extra`: the
 * device is gone) or `stale_devices`.
 */
export function checkOneDeviceTarget(
  sender: AuthenticatedDevice,
  to: string,
  given: ReadonlyMap<string, GivenEnvelope>,
  recipientDevices: readonly DeviceAddress[],
): void {
  if (to === sender.accountId) throw new ServiceError('bad_request', 'a one-device send is for another account');
  if (given.size !== 1) throw new ServiceError('bad_request', 'a one-device send carries exactly one envelope');
  checkOnlineOnlyTargets(sender, given, recipientDevices);
}
