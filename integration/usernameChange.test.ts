import { describe, expect, it } from 'vitest';
import { testBackends } from '../src-server/testing/backends';
import { useServerPerTest } from './harness/serverFixture';
import { eventually } from './harness/testDevice';

describe.each(testBackends())('changing a username (A3) between real devices on $name', (backend) => {
  const fixture = useServerPerTest(backend);

  it('releases the old name at once; my other devices and the people I write to learn the new one from the server', async () => {
    const desk = await (await fixture.register('alice')).start();
    const laptop = fixture.track(await (await desk.addDevice(fixture.server.url, fixture.directories, 'laptop')).start());
    const bob = await (await fixture.register('bob')).start();
    await desk.core.sendText({ username: 'bob' }, 'hello bob');
    await eventually(() => bob.messages.length === 1, 'bob has alice’s message');
    expect(await bob.core.contacts.accountIdOf('alice')).toBe(desk.accountId);

    expect(await desk.core.usernames.change('Alice_Liddell')).toBe('alice_liddell');
    expect(desk.core.account.username).toBe('alice_liddell');
    await eventually(() => laptop.core.account.username === 'alice_liddell', 'the laptop takes the new name');
    await eventually(() => bob.usernames.at(-1)?.username === 'alice_liddell', 'bob learns alice’s new name');
    expect(bob.usernames.at(-1)?.accountId).toBe(desk.accountId);
    expect(await bob.core.contacts.usernameOf(desk.accountId)).toBe('alice_liddell');

    // The old name is held for alice a while: nobody else may take it, and bob's app no longer finds alice under it.
    await expect(fixture.register('alice')).rejects.toThrow();
    await expect(bob.core.contacts.accountIdOf('alice')).rejects.toMatchObject({ code: 'not_found' });
    // A taken name is refused, changing nothing.
    await expect(desk.core.usernames.change('bob')).rejects.toMatchObject({ code: 'username_taken' });
    expect(desk.core.account.username).toBe('alice_liddell');
    await expect(desk.core.usernames.change('no spaces please')).rejects.toThrow();
    // Messages keep flowing under the new name.
    await bob.core.sendText({ username: 'alice_liddell' }, 'hello again');
    await eventually(() => desk.messages.some((message) => message.text === 'hello again'), 'alice gets bob’s message');
  });
});
