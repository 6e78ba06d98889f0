import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describePortOwner } from './portOwner';

describe.runIf(process.platform === 'linux')('describePortOwner', () => {
  it('names the process listening on a port, and nothing for a free one', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    try {
      expect(describePortOwner(address.port)).toMatch(new RegExp(`^process ${process.pid} \\(.*node`));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(describePortOwner(address.port)).toBeUndefined();
  });
});
