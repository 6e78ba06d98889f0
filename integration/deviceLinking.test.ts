import { describe, expect, it } from 'vitest';
import { thisDeviceDetails } from '../src-main/core/account/deviceDetails';
import { encodeLinkCode, LinkCodeError } from '../src-main/core/linking/linkCode';
import { newLinkKeyPair } from '../src-main/core/linking/linkSeal';
import { LinkFailedError, LinkRequest } from '../src-main/core/linking/requestLink';
import { openProfileVault } from '../src-main/core/profile/profileFiles';
import { readAccount } from '../src-main/core/account/accountRecord';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { eventually, TEST_PASSPHRASE, TestDevice } from './harness/testDevice';

const clock = { now: () => Date.now() };

describe.each(testBackends())('linking a device through a real server on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  /** A fresh profile asking to be linked: its code, and the request (its vault closes when it settles). */
  async function newDevice(name = 'Laptop') {
    const profileDir = fixture.directories.make(`profile-new-${name}`);
    const vault = await openProfileVault(profileDir, TEST_PASSPHRASE, true);
    const request = await LinkRequest.open({ vault, serverUrl: fixture.server.url, deviceName: name, deviceDetails: thisDeviceDetails('cli'), clock });
    const linked = request.linked().finally(() => vault.close());
    linked.catch(() => undefined);
    return { profileDir, request, linked, vault };
  }

  it('makes an equal device: it receives what is sent to the account, its sends reach the other device as sent transcripts, and read state syncs', async () => {
    const desk = await (await fixture.register('alice')).start();
    const bob = await (await fixture.register('bob')).start();
    const laptopSide = await newDevice();

    expect(desk.core.devices.inspectLinkCode(laptopSide.request.code)).toEqual({ name: 'Laptop', platform: thisDeviceDetails('cli').platform });
    expect(await desk.core.devices.link(laptopSide.request.code)).toMatchObject({ name: 'Laptop' });
    const account = await laptopSide.linked;
    expect(account).toMatchObject({ accountId: desk.accountId, deviceId: 2, username: 'alice' });
    expect((await desk.core.devices.list()).map((device) => [device.deviceId, device.name])).toEqual([
      [1, 'test'],
      [2, 'Laptop'],
    ]);

    const laptop = fixture.track(await TestDevice.ofProfile('alice', laptopSide.profileDir).start());
    await bob.core.sendText({ username: 'alice' }, 'to all of alice');
    await eventually(() => desk.textsFrom(bob).includes('to all of alice') && laptop.textsFrom(bob).includes('to all of alice'), 'both of alice’s devices receive');

    await laptop.core.sendText({ username: 'bob' }, 'from the laptop');
    await eventually(() => bob.textsFrom(desk).includes('from the laptop'), 'bob receives from the new device');
    await eventually(
      () => desk.messages.some((message) => message.text === 'from the laptop' && message.direction === 'out' && message.senderDeviceId === 2),
      'the desk gets the laptop’s send as a sent transcript',
    );
    // The identity is the account's: bob sees one alice, and the desk's own sends still reach bob.
    await desk.core.sendText({ username: 'bob' }, 'from the desk');
    await eventually(() => bob.textsFrom(desk).includes('from the desk'), 'bob still receives from the desk');

    // Read state syncs: what alice reads on the desk is read on the laptop, and bob hears one read receipt.
    const fromBob = desk.messages.filter((message) => message.senderAccountId === bob.accountId).map((message) => message.messageId);
    await desk.core.sendReadReceipts([{ accountId: bob.accountId, messageIds: fromBob }]);
    await eventually(() => laptop.readElsewhere.length > 0, 'the laptop hears what the desk read');
    expect(laptop.readElsewhere).toEqual([{ conversationId: bob.accountId, messageIds: fromBob }]);
    await eventually(() => bob.receipts.some((receipt) => receipt.receiptType === 'read'), 'bob gets the read receipt');
    expect(bob.receipts.filter((receipt) => receipt.receiptType === 'read')).toEqual([expect.objectContaining({ fromAccountId: desk.accountId, messageIds: fromBob })]);
    expect(bob.readElsewhere).toEqual([]);
    expect(desk.readElsewhere).toEqual([]);
  });

  it('refuses a code used twice, a mistyped one and one for another server, and leaves the refused side unlinked', async () => {
    const desk = await (await fixture.register('carol')).start();
    const first = await newDevice('First');
    await desk.core.devices.link(first.request.code);
    await first.linked;
    await expect(desk.core.devices.link(first.request.code)).rejects.toMatchObject({ problem: 'expired' });

    const second = await newDevice('Second');
    const code = second.request.code;
    const mistyped = code.slice(0, 25) + (code[25] === 'x' ? 'y' : 'x') + code.slice(26);
    expect(() => desk.core.devices.inspectLinkCode(mistyped)).toThrow(LinkCodeError);
    await expect(desk.core.devices.link(mistyped)).rejects.toMatchObject({ problem: 'mistyped' });
    const elsewhere = encodeLinkCode({ v: 1, server: 'https://parley.example.org/', address: 'A'.repeat(22), key: newLinkKeyPair().publicKey, name: 'Elsewhere', platform: 'linux' });
    await expect(desk.core.devices.link(elsewhere)).rejects.toMatchObject({ problem: 'other_server' });

    second.request.cancel();
    await expect(second.linked).rejects.toMatchObject({ reason: 'cancelled' });
    const vault = await openProfileVault(second.profileDir, TEST_PASSPHRASE);
    try {
      expect(readAccount(vault.transaction())).toBeUndefined();
    } finally {
      vault.close();
    }
    expect((await desk.core.devices.list()).map((device) => device.name)).toEqual(['test', 'First']);
  });

  it('says a blob that does not open with the code’s key was tampered with', async () => {
    const desk = await (await fixture.register('dave')).start();
    const victim = await newDevice('Victim');
    // Someone who saw the address but not the key leaves a blob sealed to another key.
    const forged = encodeLinkCode({ ...decode(victim.request.code), key: newLinkKeyPair().publicKey });
    await desk.core.devices.link(forged);
    await expect(victim.linked).rejects.toSatisfy((error: unknown) => error instanceof LinkFailedError && error.reason === 'tampered');
    expect((await desk.core.devices.list()).map((device) => device.deviceId)).toEqual([1]);
  });
});

function decode(code: string) {
  const body = code.slice('parley-link:'.length).split('.')[0]!;
  return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Parameters<typeof encodeLinkCode>[0];
}
