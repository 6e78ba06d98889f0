import { describe, expect, it } from 'vitest';
import { ok } from '../../../src-shared/ipc/result';
import { streamLogger } from '../util/streamLogger';
import { BridgeDispatcher, type BridgeImplementation } from './bridgeDispatcher';

const ALICE = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';

function dispatcher(calls: unknown[] = [], logs: string[] = []) {
  const implementation: BridgeImplementation = {
    account: {
      getState: async () => ok({ status: 'signed_out' }),
      register: async (argument) => {
        calls.push(argument);
        return ok({ accountId: ALICE, username: argument.username, deviceId: 1 });
      },
      unlock: async () => {
        throw new Error('vault exploded with secret details');
      },
      historyKey: async () => ok({ storageKey: 'AAAA' }),
      linkRequirements: async () => ok({ password: true }),
      startLink: async () => ok({ status: 'waiting' as const, code: 'parley-link:x.y', expiresAt: 1, qr: { size: 21, path: '' } }),
      cancelLink: async () => ok(null),
      devicesOfAccount: async () => ok({ devices: [] }),
      startFresh: async (argument) => ok({ accountId: ALICE, username: argument.username, deviceId: 2 }),
    },
    messaging: {
      sendText: async (argument) => {
        calls.push(argument);
        return ok({ messageId: 'm', sentAt: 1 });
      },
      readInbox: async () => ok([]),
      confirmInbox: async () => ok(null),
      sendReadReceipts: async () => ok(null),
      sendTyping: async () => ok(null),
      startSecretChat: async (argument) => ok({ chatId: '00000000-0000-4000-8000-000000000001', peerAccountId: argument.to, peerDeviceId: 1, startedAt: 1 }),
      sendSecretText: async () => ok({ messageId: 'm', sentAt: 1 }),
      deleteSecretChat: async () => ok(null),
      getConnectionStatus: async () => ok('open' as const),
      getCatchUpProgress: async () => ok({ received: 0, total: 0, done: true }),
    },
    contacts: {
      findByUsername: async (argument) => ok({ accountId: ALICE, username: argument.username }),
      findByPhone: async () => ok({ accountId: ALICE, username: 'alice' }),
      usernameOf: async () => ok({ username: null }),
      importFile: async () => ok({ imported: 0, skipped: 0, onParley: 0 }),
      importedCount: async () => ok({ count: 0 }),
      deleteSynced: async () => ok(null),
    },
    devices: {
      list: async () => ok({ devices: [] }),
      renameThisDevice: async () => ok(null),
      terminate: async () => ok(null),
      terminateOthers: async () => ok({ terminated: [] }),
      inspectLinkCode: async () => ok({ name: 'Laptop', platform: 'linux' as const }),
      link: async () => ok({ name: 'Laptop', platform: 'linux' as const }),
    },
    archive: {
      getSettings: async () => ok({ enabled: true }),
      setEnabled: async () => ok(null),
      getRestoreProgress: async () => ok({ restored: 0, total: 0, done: true }),
    },
    preferences: {
      get: async () => ok({ whoCanCall: 'contacts' as const, blocked: [], contactNames: {}, avatarVisibility: 'contacts' as const, contacts: [], suggestFrequent: true }),
      change: async () => ok({ whoCanCall: 'contacts' as const, blocked: [], contactNames: {}, avatarVisibility: 'contacts' as const, contacts: [], suggestFrequent: true }),
    },
    profile: {
      get: async () => ok(null),
      save: async (profile) => ok(profile),
      getAvatar: async () => ok({ image: null }),
      setAvatar: async () => ok({ image: null }),
      removeAvatar: async () => ok({ image: null }),
      changeUsername: async ({ username }) => ok({ username }),
    },
    phone: {
      get: async () => ok(null),
      sendCode: async ({ number }) => ok({ number }),
      verify: async () => ok({ number: '+442079460958', discoverable: true }),
      setDiscoverable: async ({ discoverable }) => ok({ number: '+442079460958', discoverable }),
      remove: async () => ok(null),
    },
  };
  return new BridgeDispatcher(implementation, streamLogger('debug', (line) => logs.push(line)));
}

describe('BridgeDispatcher', () => {
  it('hands implementations arguments parsed by the schema (normalised usernames)', async () => {
    const calls: unknown[] = [];
    expect(await dispatcher(calls).call('account', 'register', { username: '@Alice', password: 'long enough pw' })).toEqual(
      ok({ accountId: ALICE, username: 'alice', deviceId: 1 }),
    );
    expect(calls).toEqual([{ username: 'alice', password: 'long enough pw' }]);
  });

  it.each([
    ['nope', 'getState', {}, 'no such service'],
    ['__proto__', 'getState', {}, 'no such service'],
    ['account', 'toString', {}, 'no such method on account'],
    ['account', 'constructor', {}, 'no such method on account'],
    ['messaging', 'sendText', { to: 'not-a-uuid', text: 'hi' }, 'to:'],
    ['messaging', 'sendText', { to: ALICE, text: '' }, 'text:'],
    ['messaging', 'sendText', { to: ALICE, text: 'hi', extra: true }, 'Unrecognized key'],
    ['messaging', 'sendText', null, 'argument:'],
    ['messaging', 'confirmInbox', { inboxIds: 'all' }, 'inboxIds:'],
  ])('refuses %s.%s(%j) without running anything', async (service, method, argument, message) => {
    const calls: unknown[] = [];
    const result = await dispatcher(calls).call(service, method, argument);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_argument');
      expect(result.error.message).toContain(message);
    }
    expect(calls).toEqual([]);
  });

  it('turns a thrown error into an internal error without leaking or logging its details', async () => {
    const logs: string[] = [];
    const result = await dispatcher([], logs).call('account', 'unlock', { password: 'my secret password' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('secret');
    expect(logs.join('\n')).not.toContain('secret');
  });
});
