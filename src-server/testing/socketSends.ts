import { randomBytes } from 'node:crypto';
import type { OutgoingEnvelope, SendFrame } from '../../src-shared/protocol/frames';
import type { TestDevice } from './httpClient';
import { TestSocket } from './testSocket';

/** An envelope for `device` with a random body (the server never looks inside). */
export const envelopeFor = (device: TestDevice, overrides: Partial<OutgoingEnvelope> = {}): OutgoingEnvelope => ({
  accountId: device.accountId,
  deviceId: device.deviceId,
  registrationId: device.keys.registrationId,
  ciphertextType: 2,
  body: randomBytes(48).toString('base64'),
  ...overrides,
});

export const newRequestId = () => randomBytes(9).toString('base64url');

/** Sends one frame from `from` on a socket of its own and answers the server's send_result. */
export async function sendOnce(serverUrl: string, from: TestDevice, frame: SendFrame) {
  const { socket } = await TestSocket.ready(serverUrl, from.authorization);
  socket.send(frame);
  const result = await socket.next('send_result');
  await socket.close();
  return result;
}

/** What a device gets when it connects now: its whole queue, up to `queue_drained`. */
export async function queuedOnConnect(serverUrl: string, device: TestDevice) {
  const { socket } = await TestSocket.ready(serverUrl, device.authorization);
  await socket.next('queue_drained');
  await socket.close();
  return socket.received.flatMap((frame) => (frame.type === 'envelopes' ? frame.items : []));
}
