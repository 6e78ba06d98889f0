import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '../src-server/testing/backends';
import { dumpServerStorage } from './harness/serverStorageDump';
import { startServer } from './harness/serverUnderTest';
import { TemporaryDirectories } from './harness/temporaryDirectory';
import { eventually, TEST_PASSWORD, TestDevice } from './harness/testDevice';

/** Latin-1 view of UTF-8 bytes, to search the raw dumps (which are Latin-1 views of bytes). */
const asStoredBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe.each(testBackends())('what the server keeps (H1, H4) on $name', (backend) => {
  const directories = new TemporaryDirectories();
  afterAll(() => directories.removeAll());

  it('holds no plaintext of any message, queued or delivered, in its storage or its logs', async () => {
    const server = await startServer(backend, directories);
    const alice = await (await TestDevice.register(server.url, 'alice', directories)).start();
    const bob = await TestDevice.register(server.url, 'bob', directories);
    try {
      const secrets = Array.from({ length: 20 }, (_, index) => `plaintext-canary-${index}-the eagle lands at dawn`);
      secrets.push('Grüße aus Köln 🔐 — مرحبا', 'x'.repeat(5_000));
      for (const secret of secrets) await alice.core.sendText({ username: 'bob' }, secret);
      await eventually(() => alice.core.outboxSize === 0, 'all queued on the server for offline bob');

      const whileQueued = await dumpServerStorage(server);
      expect(whileQueued.length).toBeGreaterThan(10_000); // the dump really holds the queued ciphertexts
      expect(whileQueued).toContain('alice'); // positive control: what the server does keep is found

      await bob.start();
      await eventually(() => bob.messages.length === secrets.length, 'bob received everything');
      const reply = 'reply-canary: meet me by the old mill';
      await bob.core.sendText({ username: 'alice' }, reply);
      await eventually(() => alice.messages.length === 1, 'alice has the reply');
      await alice.stop();
      await bob.stop();
      const afterDelivery = await dumpServerStorage(server);
      const logs = server.logs.join('\n');
      expect(logs.length).toBeGreaterThan(0);

      for (const text of [...secrets, reply]) {
        const needle = asStoredBytes(text.slice(0, 40));
        expect(whileQueued.includes(needle), `queued storage contains "${text.slice(0, 20)}"`).toBe(false);
        expect(afterDelivery.includes(needle), `storage contains "${text.slice(0, 20)}"`).toBe(false);
        expect(logs.includes(text.slice(0, 40)), `logs contain "${text.slice(0, 20)}"`).toBe(false);
      }
      expect(logs).not.toContain(TEST_PASSWORD);
      expect(logs).not.toContain('127.0.0.1');
      expect(afterDelivery).not.toContain(asStoredBytes(TEST_PASSWORD));
    } finally {
      await server.close();
    }
  });
});
