import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '../src-server/testing/backends';
import { dropSchema } from '../src-server/testing/backends';
import { freePort, randomSchema } from './harness/serverUnderTest';
import { ServerProcess } from './harness/serverProcess';
import { TemporaryDirectories } from './harness/temporaryDirectory';
import { eventually, TestDevice } from './harness/testDevice';

describe.each(testBackends())('the server killed mid-stream on $name', (backend) => {
  const directories = new TemporaryDirectories();
  afterAll(() => directories.removeAll());

  it('loses and duplicates nothing: every message arrives once, in order', async () => {
    const schema = backend.name === 'postgres' ? randomSchema() : undefined;
    const server = new ServerProcess({ port: await freePort(), dataDir: directories.make('server'), backend, schema });
    await server.start();
    const alice = await (await TestDevice.register(server.url, 'alice', directories)).start();
    const bob = await (await TestDevice.register(server.url, 'bob', directories)).start();
    try {
      const expected = Array.from({ length: 300 }, (_, index) => `stream ${index}`);
      for (const text of expected.slice(0, 200)) await alice.core.sendText({ username: 'bob' }, text);
      await eventually(() => bob.messages.length >= 10, 'the stream is flowing');

      await server.kill(); // mid-stream: some sends in flight, some envelopes unacked
      const unsentAtKill = alice.core.outboxSize;
      const receivedAtKill = bob.messages.length;
      expect(unsentAtKill > 0 || receivedAtKill < 200).toBe(true);
      for (const text of expected.slice(200, 250)) await alice.core.sendText({ username: 'bob' }, text);
      await server.start();
      for (const text of expected.slice(250)) await alice.core.sendText({ username: 'bob' }, text);
      await eventually(() => bob.messages.length >= receivedAtKill + 20, 'the stream resumed');

      await server.kill(); // and once more while bob is catching up
      await server.start();
      await eventually(() => bob.messages.length >= expected.length && alice.core.outboxSize === 0, 'all 300 arrived', 60_000);
      await bob.core.idle();

      expect(bob.textsFrom(alice)).toEqual(expected);
      expect([...bob.handedOver.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await alice.stop();
      await bob.stop();
      await server.stop();
      if (schema && backend.name === 'postgres') await dropSchema(backend.databaseUrl, schema);
    }
  });
});
