import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingEnvelope, SendFrame } from '../../src-shared/protocol/frames';
import { testBackends } from '../testing/backends';
import { addDevice, registerAccount, type TestDevice } from '../testing/httpClient';
import { envelopeFor, newRequestId, queuedOnConnect, sendOnce } from '../testing/socketSends';
import { startTestServer, type TestServer } from '../testing/testServer';

const oneDeviceFrame = (to: string, envelopes: OutgoingEnvelope[]): SendFrame => ({
  type: 'send',
  requestId: newRequestId(),
  idempotencyKey: newRequestId(),
  to,
  timestamp: 1_700_000_000_000,
  envelopes,
  oneDevice: true,
});

describe.each(testBackends())('one-device sends (secret chats) on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server.close();
  });

  const send = (from: TestDevice, frame: SendFrame) => sendOnce(server.url, from, frame);
  const queueOf = (device: TestDevice) => queuedOnConnect(server.url, device);

  it('queues for the one device named, and for none of the other devices of either account', async () => {
    const alice = await registerAccount(server.url);
    const aliceLaptop = await addDevice(server.url, alice);
    const bob = await registerAccount(server.url);
    const bobLaptop = await addDevice(server.url, bob);
    const envelope = envelopeFor(bobLaptop);
    expect(await send(alice, oneDeviceFrame(bob.accountId, [envelope]))).toMatchObject({ ok: true });
    expect((await queueOf(bobLaptop)).map((item) => item.body)).toEqual([envelope.body]);
    expect(await queueOf(bob)).toEqual([]);
    expect(await queueOf(aliceLaptop)).toEqual([]);
  });

  it('refuses two envelopes, one to my own account, a device that is gone and a stale registration', async () => {
    const alice = await registerAccount(server.url);
    const aliceLaptop = await addDevice(server.url, alice);
    const bob = await registerAccount(server.url);
    const bobLaptop = await addDevice(server.url, bob);
    expect(await send(alice, oneDeviceFrame(bob.accountId, [envelopeFor(bob), envelopeFor(bobLaptop)]))).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await send(alice, oneDeviceFrame(alice.accountId, [envelopeFor(aliceLaptop)]))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await send(alice, oneDeviceFrame(bob.accountId, [envelopeFor(bob, { deviceId: 9 })]))).toMatchObject({
      ok: false,
      error: { code: 'mismatched_devices', extra: [{ accountId: bob.accountId, deviceId: 9 }] },
    });
    expect(await send(alice, oneDeviceFrame(bob.accountId, [envelopeFor(bob, { registrationId: bob.keys.registrationId + 1 })]))).toMatchObject({
      ok: false,
      error: { code: 'stale_devices' },
    });
    expect(await queueOf(bob)).toEqual([]);
  });
});
