import { afterAll, afterEach, beforeEach } from 'vitest';
import type { TestBackend } from '../../src-server/testing/backends';
import { startServer, type ServerUnderTest } from './serverUnderTest';
import { TemporaryDirectories } from './temporaryDirectory';
import { TestDevice } from './testDevice';

/**
 * A fresh in-process server per test, and the devices registered on it, all stopped after the
 * test. Call inside a `describe`.
 */
export function useServerPerTest(backend: TestBackend) {
  const directories = new TemporaryDirectories();
  let server: ServerUnderTest | undefined;
  let devices: TestDevice[] = [];

  beforeEach(async () => {
    server = await startServer(backend, directories);
  });
  afterEach(async () => {
    await Promise.all(devices.map((device) => device.stop().catch(() => undefined)));
    devices = [];
    await server?.close();
  });
  afterAll(() => directories.removeAll());

  return {
    directories,
    get server(): ServerUnderTest {
      if (!server) throw new Error('the server starts in beforeEach');
      return server;
    },
    /** Registers a device on this test's server; it is stopped after the test. */
    async register(username: string) {
      return this.track(await TestDevice.register(this.server.url, username, directories));
    },
    /** Stops `device` after the test. */
    track(device: TestDevice) {
      devices.push(device);
      return device;
    },
  };
}
