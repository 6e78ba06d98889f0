import { describe, expect, it } from 'vitest';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { dumpServerStorage, tableRows } from './harness/serverStorageDump';
import { eventually } from './harness/testDevice';

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

  it('imports contacts from a file (B2): who is on Parley becomes a contact under my name for them; synced only as hashes; deleted at once', async () => {
    const alice = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    const carol = await (await fixture.register('carol')).start();
    for (const [device, number] of [[bob, '+46 8 123 456 78'], [carol, '+39 06 6982']] as const) {
      await device.core.phone.sendCode(number);
      await device.core.phone.verify(lastCode(fixture.server.logs));
    }
    await carol.core.phone.setDiscoverable(false);

    // A malformed file changes nothing.
    await expect(alice.core.contactImport.importFile(Buffer.from('BEGIN:VCARD\nFN:Bobby\nTEL:+46812345678\n'), 'broken.vcf')).rejects.toThrow(/line 1/);
    expect(alice.core.contactImport.imported).toEqual([]);
    expect(await tableRows(fixture.server, 'synced_contacts')).toEqual([]);

    const vcard = ['BEGIN:VCARD', 'N:Tables;Bobby', 'TEL:+46 8 123 456 78', 'END:VCARD', 'BEGIN:VCARD', 'N:C;Carol', 'TEL:+39066982', 'END:VCARD', 'BEGIN:VCARD', 'FN:Dave', 'TEL:+1 202 555 0143', 'END:VCARD'].join('\n');
    expect(await alice.core.contactImport.importFile(Buffer.from(vcard), 'friends.vcf')).toEqual({ imported: 3, skipped: 0, onParley: 1 });
    expect(alice.core.preferences.isContact(bob.accountId)).toBe(true);
    expect(alice.core.preferences.current.contactNames[bob.accountId]).toBe('Bobby Tables');
    expect(alice.core.preferences.isContact(carol.accountId)).toBe(false);
    await eventually(() => alice.inboxItems.some((item) => item.kind === 'contact_joined' && item.accountId === bob.accountId), 'alice is told bob is on Parley');

    // The server keeps three keyed hashes and no number.
    const rows = await tableRows(fixture.server, 'synced_contacts');
    expect(rows).toHaveLength(3);
    for (const form of ['46812345678', '2025550143', '39066982']) expect(JSON.stringify(rows)).not.toContain(form);

    // Removed from my contacts, bob stays removed when the contacts are synced again.
    await alice.core.changePreferences([{ key: 'contact', accountId: bob.accountId, value: false }]);
    expect((await alice.core.contactImport.importFile(Buffer.from(vcard), 'friends.vcf')).onParley).toBe(1);
    expect(alice.core.preferences.isContact(bob.accountId)).toBe(false);

    await alice.core.contactImport.deleteSynced();
    expect(await tableRows(fixture.server, 'synced_contacts')).toEqual([]);
    expect(alice.core.contactImport.imported).toEqual([]);
  });
});
