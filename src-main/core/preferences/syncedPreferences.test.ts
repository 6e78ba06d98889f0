import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StampedPreference } from '../../../src-shared/domain/preferences';
import type { OutboxEntry } from '../sync/outboxEntry';
import { Vault } from '../vault/vault';
import { BlockSelfError, SyncedPreferences, TooManyBlockedError } from './syncedPreferences';
import { preferenceChangeSchema } from '../../../src-shared/domain/preferences';

const ALICE = randomUUID();
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function device(deviceId: number, path = join(mkdtempSync(join(tmpdir(), 'prefs-')), 'vault.db'), key = randomBytes(32)) {
  directories.push(join(path, '..'));
  const vault = Vault.open(path, key);
  const preferences = new SyncedPreferences({ vault, accountId: ALICE, deviceId, now: () => 1_000, flushOutbox: () => undefined });
  return { vault, preferences, path, key };
}

const outboxOf = (vault: Vault) => vault.list('outbox').map((bytes) => JSON.parse(bytes.toString('utf8')) as OutboxEntry);
const syncedChanges = (vault: Vault): StampedPreference[] =>
  outboxOf(vault).flatMap((entry) => (entry.content.kind === 'preferences_sync' ? entry.content.changes : []));

function merged(into: SyncedPreferences, vault: Vault, changes: StampedPreference[], fromDeviceId: number) {
  const transaction = vault.transaction();
  const changed = into.merge(transaction, changes, fromDeviceId);
  transaction.commitNow();
  return changed;
}

describe('SyncedPreferences (B3, F3)', () => {
  it('applies a change at once, passes it to my other devices in the outbox, and keeps it across a restart', async () => {
    const desk = device(1);
    const bob = randomUUID();
    expect(desk.preferences.current).toEqual({ whoCanCall: 'contacts', blocked: [], contactNames: {}, avatarVisibility: 'contacts', contacts: [], suggestFrequent: true });
    const announced: unknown[] = [];
    desk.preferences.onChange.on((preferences) => announced.push(preferences));

    expect(await desk.preferences.change([{ key: 'blocked', accountId: bob, value: true }, { key: 'whoCanCall', value: 'nobody' }])).toEqual({
      whoCanCall: 'nobody',
      blocked: [bob],
      contactNames: {},
      avatarVisibility: 'contacts',
      contacts: [],
      suggestFrequent: true,
    });
    expect(desk.preferences.isBlocked(bob)).toBe(true);
    expect(announced).toEqual([{ whoCanCall: 'nobody', blocked: [bob], contactNames: {}, avatarVisibility: 'contacts', contacts: [], suggestFrequent: true }]);
    const [entry] = outboxOf(desk.vault);
    expect(entry).toMatchObject({ to: ALICE, content: { kind: 'preferences_sync' } });
    expect(syncedChanges(desk.vault).map((change) => change.clock)).toEqual([1, 2]);

    desk.vault.close();
    const reopened = device(1, desk.path, desk.key);
    expect(reopened.preferences.current).toEqual({ whoCanCall: 'nobody', blocked: [bob], contactNames: {}, avatarVisibility: 'contacts', contacts: [], suggestFrequent: true });
    // The clock goes on from where it was: a later change wins over the earlier ones everywhere.
    await reopened.preferences.change([{ key: 'blocked', accountId: bob, value: false }]);
    expect(syncedChanges(reopened.vault).at(-1)?.clock).toBe(3);
    reopened.vault.close();
  });

  it('ends every device at the same settings whatever order the changes reach them in', async () => {
    const desk = device(1);
    const laptop = device(2);
    const bob = randomUUID();
    const carol = randomUUID();
    // Made at the same time on both, neither having seen the other's.
    await desk.preferences.change([{ key: 'blocked', accountId: bob, value: true }, { key: 'whoCanCall', value: 'everyone' }]);
    await laptop.preferences.change([{ key: 'blocked', accountId: carol, value: true }, { key: 'whoCanCall', value: 'nobody' }]);
    const fromDesk = syncedChanges(desk.vault);
    const fromLaptop = syncedChanges(laptop.vault);

    expect(merged(desk.preferences, desk.vault, fromLaptop, 2)).toBe(true);
    expect(merged(laptop.preferences, laptop.vault, [...fromDesk].reverse(), 1)).toBe(true);
    // Separate registers both stay; on the tied clock of whoCanCall the greater device id wins.
    expect(desk.preferences.current).toEqual(laptop.preferences.current);
    expect(desk.preferences.current).toEqual({ whoCanCall: 'nobody', blocked: expect.arrayContaining([bob, carol]), contactNames: {}, avatarVisibility: 'contacts', contacts: [], suggestFrequent: true });

    // An old change coming late loses to the newer one and changes nothing.
    await desk.preferences.change([{ key: 'blocked', accountId: bob, value: false }]);
    expect(merged(laptop.preferences, laptop.vault, syncedChanges(desk.vault).slice(-1), 1)).toBe(true);
    expect(merged(laptop.preferences, laptop.vault, fromDesk, 1)).toBe(false);
    expect(laptop.preferences.isBlocked(bob)).toBe(false);
    // Having seen the desk's clock, the laptop's next change is later than all of it.
    await laptop.preferences.change([{ key: 'whoCanCall', value: 'contacts' }]);
    expect(merged(desk.preferences, desk.vault, syncedChanges(laptop.vault).slice(-1), 2)).toBe(true);
    expect(desk.preferences.current.whoCanCall).toBe('contacts');
    desk.vault.close();
    laptop.vault.close();
  });

  it('keeps a name I saved for someone (A5) on every device of mine; clearing it brings their own name back', async () => {
    const desk = device(1);
    const laptop = device(2);
    const bob = randomUUID();
    const saved = preferenceChangeSchema.parse({ key: 'contactName', accountId: bob, value: '  Bob from the harbour ' });
    expect((await desk.preferences.change([saved])).contactNames).toEqual({ [bob]: 'Bob from the harbour' });
    expect(merged(laptop.preferences, laptop.vault, syncedChanges(desk.vault), 1)).toBe(true);
    expect(laptop.preferences.current.contactNames).toEqual({ [bob]: 'Bob from the harbour' });

    await laptop.preferences.change([{ key: 'contactName', accountId: bob, value: '' }]);
    expect(laptop.preferences.current.contactNames).toEqual({});
    expect(merged(desk.preferences, desk.vault, syncedChanges(laptop.vault).slice(-1), 2)).toBe(true);
    expect(desk.preferences.current.contactNames).toEqual({});
    // A name longer than a display name may be is refused before anything changes.
    expect(preferenceChangeSchema.safeParse({ key: 'contactName', accountId: bob, value: 'x'.repeat(65) }).success).toBe(false);
    desk.vault.close();
    laptop.vault.close();
  });

  it('keeps my contacts (B2) and who sees my avatar (A4) on every device of mine, and the avatar key only in main', async () => {
    const desk = device(1);
    const laptop = device(2);
    const [bob, carol] = [randomUUID(), randomUUID()];
    expect(desk.preferences.avatarVisibility).toBe('contacts');
    await desk.preferences.change([{ key: 'contact', accountId: bob, value: true }, { key: 'contact', accountId: carol, value: true }, { key: 'avatarVisibility', value: 'nobody' }]);
    await desk.preferences.change([{ key: 'contact', accountId: bob, value: false }, { key: 'avatarKey', value: randomBytes(32).toString('base64') }]);
    expect(desk.preferences.current).toMatchObject({ contacts: [carol], avatarVisibility: 'nobody' });
    expect(desk.preferences.isContact(bob)).toBe(false);
    expect(desk.preferences.isContact(carol)).toBe(true);
    expect(merged(laptop.preferences, laptop.vault, syncedChanges(desk.vault), 1)).toBe(true);
    expect(laptop.preferences.current).toEqual(desk.preferences.current);
    expect(laptop.preferences.avatarKey?.equals(desk.preferences.avatarKey ?? Buffer.alloc(0))).toBe(true);
    // The renderer may not ask for the key: only the settings people choose.
    expect(preferenceChangeSchema.safeParse({ key: 'avatarKey', value: randomBytes(32).toString('base64') }).success).toBe(false);
    expect(JSON.stringify(desk.preferences.current)).not.toContain(desk.preferences.avatarKey?.toString('base64'));
    desk.vault.close();
    laptop.vault.close();
  });

  it('refuses to block myself or more than the limit, changing nothing', async () => {
    const desk = device(1);
    await expect(desk.preferences.change([{ key: 'blocked', accountId: ALICE, value: true }])).rejects.toBeInstanceOf(BlockSelfError);
    const many = Array.from({ length: 1_000 }, () => ({ key: 'blocked' as const, accountId: randomUUID(), value: true }));
    for (let start = 0; start < many.length; start += 100) await desk.preferences.change(many.slice(start, start + 100));
    expect(desk.preferences.current.blocked).toHaveLength(1_000);
    await expect(desk.preferences.change([{ key: 'blocked', accountId: randomUUID(), value: true }])).rejects.toBeInstanceOf(TooManyBlockedError);
    // Blocking someone already blocked is no new block.
    await desk.preferences.change([many[0]!]);
    expect(desk.preferences.current.blocked).toHaveLength(1_000);
    desk.vault.close();
  });
});
