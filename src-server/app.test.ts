import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer } from './app';
import { createJsonLinesLogger } from './logger';
import { createTestDatabase, testBackends } from './testing/backends';
import { addDevice, registerAccount, request } from './testing/httpClient';
import { TestSocket } from './testing/testSocket';
import { startTestServer } from './testing/testServer';

describe.each(testBackends())('the server on $name', (backend) => {
  it('logs events but no bodies, secrets, usernames or addresses, and stores no password (H1, H4)', async () => {
    const server = await startTestServer(backend);
    try {
      const password = 'the password nobody may see';
      const alice = await registerAccount(server.url, { password });
      const aliceSecond = await addDevice(server.url, alice);
      const bob = await registerAccount(server.url);
      const body = Buffer.from('ciphertext that must never reach a log').toString('base64');
      const { socket: aliceSocket } = await TestSocket.ready(server.url, alice.authorization);
      const { socket: bobSocket } = await TestSocket.ready(server.url, bob.authorization);
      aliceSocket.send({
        type: 'send',
        requestId: 'r1',
        idempotencyKey: 'k1',
        to: bob.accountId,
        timestamp: 1,
        envelopes: [
          { accountId: bob.accountId, deviceId: 1, registrationId: bob.keys.registrationId, ciphertextType: 3, body },
          { accountId: alice.accountId, deviceId: 2, registrationId: aliceSecond.keys.registrationId, ciphertextType: 3, body },
        ],
      });
      expect((await aliceSocket.next('send_result')).ok).toBe(true);
      const pushed = await bobSocket.next('envelopes');
      bobSocket.send({ type: 'ack', envelopeIds: pushed.items.map((item) => item.id) });
      aliceSocket.sendRaw(`{"type":"send","body":"${body}"`);
      await aliceSocket.next('error');
      await request(server.url, 'GET', `/v1/accounts/lookup?username=${bob.username}`, { authorization: alice.authorization });
      await Promise.all([aliceSocket.close(), bobSocket.close()]);
      await server.server.close();

      const logs = server.logs.join('');
      for (const event of ['account_registered', 'device_added', 'socket_opened', 'http_request', 'socket_closed']) {
        expect(logs).toContain(`"event":"${event}"`);
      }
      for (const secret of [body, password, alice.secret, alice.username, bob.username, '127.0.0.1', 'localhost']) {
        expect(logs).not.toContain(secret);
      }
      for (const line of server.logs) expect(() => JSON.parse(line)).not.toThrow();

      if (backend.name === 'sqlite') {
        const stored = readdirSync(server.database.dataDir)
          .map((name) => readFileSync(join(server.database.dataDir, name)).toString('latin1'))
          .join('');
        expect(stored).toContain('$argon2id$');
        expect(stored).not.toContain(password);
        expect(stored).not.toContain(alice.secret);
      }
    } finally {
      await server.close();
    }
  });

  it('keeps queued envelopes across a restart on the same data', async () => {
    const database = createTestDatabase(backend);
    const options = {
      dataDir: database.dataDir,
      databaseUrl: database.databaseUrl,
      databaseSchema: database.databaseSchema,
      logger: createJsonLinesLogger({ write: () => undefined }),
      passwordHashing: { memoryCost: 256, timeCost: 1 },
    };
    try {
      const first = await buildServer(options);
      const firstUrl = await first.listen();
      const alice = await registerAccount(firstUrl);
      const bob = await registerAccount(firstUrl);
      const { socket } = await TestSocket.ready(firstUrl, alice.authorization);
      socket.send({
        type: 'send',
        requestId: 'r1',
        idempotencyKey: 'k1',
        to: bob.accountId,
        timestamp: 1,
        envelopes: [{ accountId: bob.accountId, deviceId: 1, registrationId: bob.keys.registrationId, ciphertextType: 2, body: 'AAAA' }],
      });
      await socket.next('send_result');
      await first.close();

      const second = await buildServer(options);
      const secondUrl = await second.listen();
      const { socket: bobSocket } = await TestSocket.ready(secondUrl, bob.authorization);
      const [envelope] = await bobSocket.receiveEnvelopes(1, { ack: true });
      expect(envelope).toMatchObject({ sourceAccountId: alice.accountId, body: 'AAAA' });
      await bobSocket.close();
      await second.close();
    } finally {
      await database.dispose();
    }
  });

  it('closes gracefully: open sockets get 1001, new connections are refused, close is idempotent', async () => {
    const server = await startTestServer(backend);
    try {
      const alice = await registerAccount(server.url);
      const { socket } = await TestSocket.ready(server.url, alice.authorization);
      const closing = server.server.close();
      expect((await socket.closed).code).toBe(1001);
      await closing;
      await server.server.close();
      await expect(fetch(`${server.url}/v1/health`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});
