import { describe, expect, it } from 'vitest';
import { LIMITS } from '../src-shared/domain/limits';
import { registerAccount as registerRawDevice } from '../src-server/testing/httpClient';
import { testBackends } from '../src-server/testing/backends';
import { TestSocket } from '../src-server/testing/testSocket';
import { useServerPerTest } from './harness/serverFixture';
import { eventually } from './harness/testDevice';

describe.each(testBackends())('malformed frames on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  it('are refused with typed errors while a valid client keeps working, and the offender keeps its socket', async () => {
    const alice = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    const mallory = await registerRawDevice(fixture.server.url, { username: 'mallory' });
    const { socket } = await TestSocket.ready(fixture.server.url, mallory.authorization);
    try {
      const garbage: Array<{ frame: string | Buffer; binary?: boolean }> = [
        { frame: 'not json at all' },
        { frame: JSON.stringify({ type: 'no_such_frame' }) },
        { frame: JSON.stringify({ type: 'send', requestId: 'r1', to: 'not-a-uuid', idempotencyKey: 'k', timestamp: 1, envelopes: [] }) },
        { frame: JSON.stringify({ type: 'ack', envelopeIds: ['../../etc/passwd'] }) },
        { frame: JSON.stringify({ type: 'send', requestId: 'r2', idempotencyKey: 'k2', to: bob.accountId, timestamp: 1,
          envelopes: [{ accountId: bob.accountId, deviceId: 1, registrationId: 1, ciphertextType: 3, body: '%%%not base64' }] }) },
        { frame: Buffer.from([0xde, 0xad, 0xbe, 0xef]), binary: true },
        { frame: JSON.stringify({ type: 'hello', protocolVersion: 'one' }) },
        { frame: '{"type":"send","requestId":"r3"' },
        { frame: JSON.stringify({ type: 'ack', envelopeIds: Array.from({ length: LIMITS.ackBatchMax + 1 }, (_, i) => `id${i}`) }) },
      ];
      const sentDuringAttack: Array<{ text: string }> = [];
      for (const [index, { frame, binary }] of garbage.entries()) {
        socket.sendRaw(frame, binary);
        sentDuringAttack.push(await alice.core.sendText({ username: 'bob' }, `still working ${index}`));
      }
      for (let index = 0; index < garbage.length; index += 1) {
        const error = await socket.next('error');
        expect(error.error.code).toMatch(/^(bad_request|payload_too_large)$/);
        expect(error.error.message).not.toContain('passwd');
      }
      // The offender's socket still works for a valid frame.
      socket.send({ type: 'ping', requestId: 'still-here' });
      expect(await socket.next('pong')).toMatchObject({ requestId: 'still-here' });

      await eventually(() => bob.messages.length === garbage.length, 'bob received every message sent during the attack');
      expect(bob.textsFrom(alice)).toEqual(sentDuringAttack.map((message) => message.text));
    } finally {
      socket.socket.close();
    }
  });
});
