import { describe, expect, it } from 'vitest';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { dumpServerStorage } from './harness/serverStorageDump';

/** The development SMS provider's last code, from the server's log. */
const lastCode = (logs: string[]) => {
  const line = logs.filter((entry) => entry.includes('sms_code_development')).at(-1);
  return (JSON.parse(line ?? '{}') as { code?: string }).code ?? '';
};

describe.each(testBackends())('phone numbers (H3) between real devices on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  it('a lookup finds a user only while they allow it, and the server keeps no number in clear anywhere', async () => {
    const alice = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    expect(await alice.core.phone.current()).toBeNull();
    await expect(alice.core.phone.sendCode('020 7946 0958')).rejects.toThrow(/country code/);
    expect(await alice.core.phone.sendCode('+44 (0)20 7946 0958')).toBe('+442079460958');
    await expect(alice.core.phone.verify('12345')).rejects.toThrow();
    expect(await alice.core.phone.verify(lastCode(fixture.server.logs))).toEqual({ number: '+442079460958', discoverable: true });

    expect(await bob.core.contacts.findByPhone('+442079460958')).toEqual({ accountId: alice.accountId, username: 'alice' });
    await alice.core.phone.setDiscoverable(false);
    await expect(bob.core.contacts.findByPhone('+442079460958')).rejects.toMatchObject({ code: 'not_found' });
    await alice.core.phone.setDiscoverable(true);
    expect((await bob.core.contacts.findByPhone('+442079460958')).accountId).toBe(alice.accountId);

    // Not in the database (rows and files), not in the logs: in no form a search would find.
    const stored = await dumpServerStorage(fixture.server);
    for (const form of ['442079460958', '2079460958', '20 7946 0958']) {
      expect(stored).not.toContain(form);
      expect(fixture.server.logs.join('\n')).not.toContain(form);
    }
    await alice.core.phone.remove();
    expect(await alice.core.phone.current()).toBeNull();
    await expect(bob.core.contacts.findByPhone('+442079460958')).rejects.toMatchObject({ code: 'not_found' });
  });
});
