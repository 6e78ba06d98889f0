import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PASSPHRASE, jsonLines, runCli, spawnCli } from './harness/cliProcess';
import { startServer, type ServerUnderTest } from './harness/serverUnderTest';
import { TemporaryDirectories } from './harness/temporaryDirectory';
import { eventually, TEST_PASSPHRASE, TestDevice } from './harness/testDevice';
import { seedArchive } from './harness/archiveSeeder';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the command-line client', () => {
  const directories = new TemporaryDirectories();
  let server: ServerUnderTest;
  let aliceProfile: string;
  let bobProfile: string;

  beforeAll(async () => {
    server = await startServer({ name: 'sqlite' }, directories);
    aliceProfile = directories.make('cli-alice');
    bobProfile = directories.make('cli-bob');
  });
  afterAll(async () => {
    await server.close();
    directories.removeAll();
  });

  it('registers with a username and password alone', async () => {
    const alice = await runCli(['--profile', aliceProfile, '--server', server.url, 'register', 'alice']);
    expect(alice).toMatchObject({ code: 0, stderr: '' });
    expect(alice.stdout).toContain('Registered @alice');
    const bob = await runCli(['--profile', bobProfile, '--server', server.url, 'register', 'Bob']);
    expect(bob.code).toBe(0);
    expect(bob.stdout).toContain('Registered @bob');
  });

  it('sends (printing the id once stored) and receives JSON lines', async () => {
    const sent = await runCli(['--profile', aliceProfile, 'send', 'bob', 'hello from the command line ✉️']);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    const messageId = sent.stdout.trim();
    expect(messageId).toMatch(UUID);

    const received = await runCli(['--profile', bobProfile, 'receive', '--json']);
    expect(received.code).toBe(0);
    const lines = jsonLines(received.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ id: messageId, from: 'alice', text: 'hello from the command line ✉️', direction: 'in' });
    expect(typeof lines[0]!.sentAt).toBe('number');

    const again = await runCli(['--profile', bobProfile, 'receive', '--json']);
    expect(jsonLines(again.stdout)).toEqual([]);

    const receipts = await runCli(['--profile', aliceProfile, 'receive', '--json', '--receipts']);
    expect(jsonLines(receipts.stdout)).toEqual([expect.objectContaining({ type: 'receipt', receipt: 'delivered', messageIds: [messageId], from: 'bob' })]);
  });

  it('says what went wrong, on stderr, with a non-zero exit', async () => {
    const unknownUser = await runCli(['--profile', aliceProfile, 'send', 'nobody_here', 'hi']);
    expect(unknownUser.code).not.toBe(0);
    expect(unknownUser.stderr).toMatch(/not found/i);
    expect(unknownUser.stdout).toBe('');

    const noProfile = await runCli(['send', 'bob', 'hi']);
    expect(noProfile.code).toBe(2);
    expect(noProfile.stderr).toContain('--profile DIR is required');

    const wrongPassphrase = await runCli(['--profile', aliceProfile, 'send', 'bob', 'hi'], { PARLEY_PASSPHRASE: 'not it' });
    expect(wrongPassphrase.code).toBe(1);
    expect(wrongPassphrase.stderr).toContain('passphrase does not open this profile');

    const noPassphrase = await runCli(['--profile', aliceProfile, 'receive', '--json'], { PARLEY_PASSPHRASE: undefined });
    expect(noPassphrase.code).toBe(1);
    expect(noPassphrase.stderr).toContain('PARLEY_PASSPHRASE');

    const taken = await runCli(['--profile', directories.make('cli-other'), '--server', server.url, 'register', 'alice']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('taken');

    const badUsername = await runCli(['--profile', directories.make('cli-bad'), '--server', server.url, 'register', '1-bad name']);
    expect(badUsername.code).toBe(1);
    expect(badUsername.stderr).toMatch(/username/);

    const unreachable = await runCli(['--profile', directories.make('cli-x'), '--server', 'http://127.0.0.1:9', 'register', 'carol']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the Parley server');
  });

  it('a receive killed mid-catch-up loses nothing: the next receive prints the rest', async () => {
    const sender = await (await TestDevice.register(server.url, 'dave', directories)).start();
    const expected = Array.from({ length: 400 }, (_, index) => `queued ${index}`);
    try {
      for (const text of expected) await sender.core.sendText({ username: 'bob' }, text);
      await eventually(() => sender.core.outboxSize === 0, 'dave sent all 400');
    } finally {
      await sender.stop();
    }

    // Killed as soon as its connection is ready: in the middle of decrypting the catch-up.
    const first = spawnCli(['--profile', bobProfile, 'receive', '--json'], { PARLEY_LOG_LEVEL: 'debug' });
    let firstOutput = '';
    first.stdout!.on('data', (chunk: Buffer) => (firstOutput += chunk.toString()));
    await new Promise<void>((resolve) => {
      first.stderr!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('connection.ready')) first.kill('SIGKILL');
      });
      first.once('close', () => resolve());
    });
    const second = await runCli(['--profile', bobProfile, 'receive', '--json']);
    expect(second.code).toBe(0);

    const complete = (output: string) => output.slice(0, output.lastIndexOf('\n') + 1);
    const printed = [...jsonLines(complete(firstOutput)), ...jsonLines(second.stdout)];
    const firstSeen: string[] = [];
    for (const line of printed) if (!firstSeen.includes(line.text as string)) firstSeen.push(line.text as string);
    expect(firstSeen).toEqual(expected);
    expect(jsonLines(complete(firstOutput)).length).toBeLessThan(expected.length); // it really was cut short
  });

  it("lists the account's devices and ends one; the ended device's next run says so and deletes its keys", async () => {
    const desk = await TestDevice.register(server.url, 'erin', directories);
    await desk.start({ connect: false });
    const laptop = await desk.addDevice(server.url, directories, 'Laptop');
    await desk.stop();
    const passphrase = { PARLEY_PASSPHRASE: TEST_PASSPHRASE };
    const today = new Date().toISOString().slice(0, 10);

    const listed = await runCli(['--profile', laptop.profileDir, 'devices', '--json'], passphrase);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(jsonLines(listed.stdout)).toEqual([
      expect.objectContaining({ deviceId: 2, name: 'Laptop', thisDevice: true, added: today, lastActive: today }),
      expect.objectContaining({ deviceId: 1, name: 'test', thisDevice: false, appVersion: expect.stringMatching(/^cli /) }),
    ]);
    const text = await runCli(['--profile', desk.profileDir, 'devices'], passphrase);
    expect(text.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^1\ttest\t.+\tcli .+\tadded ${today}\tlast active ${today}\tthis device$`)),
      expect.stringMatching(/^2\tLaptop\t/),
    ]);

    expect((await runCli(['--profile', desk.profileDir, 'devices', 'terminate', 'two'], passphrase)).code).toBe(2);
    const self = await runCli(['--profile', desk.profileDir, 'devices', 'terminate', '1'], passphrase);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/this device/);
    const ended = await runCli(['--profile', desk.profileDir, 'devices', 'terminate', '2'], passphrase);
    expect(ended).toMatchObject({ code: 0, stdout: 'Ended the session of device 2\n' });

    const afterwards = await runCli(['--profile', laptop.profileDir, 'receive', '--json'], passphrase);
    expect(afterwards.code).toBe(1);
    expect(afterwards.stderr).toMatch(/session was ended from another device/);
    expect(readdirSync(laptop.profileDir)).toEqual([]);
    expect(jsonLines((await runCli(['--profile', desk.profileDir, 'devices', '--json'], passphrase)).stdout)).toHaveLength(1);
  });

  it('start-fresh names the devices and changes nothing without --yes; with it the account starts over here', async () => {
    const oldProfile = directories.make('cli-gina-old');
    expect((await runCli(['--profile', oldProfile, '--server', server.url, 'register', 'gina'])).code).toBe(0);
    const otherProfile = directories.make('cli-hal');
    expect((await runCli(['--profile', otherProfile, '--server', server.url, 'register', 'hal'])).code).toBe(0);
    const fresh = directories.make('cli-gina-fresh');

    const wrong = await runCli(['--profile', fresh, '--server', server.url, 'start-fresh', 'gina'], { PARLEY_PASSWORD: 'not the password' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/username and password do not match an account/);
    const asked = await runCli(['--profile', fresh, '--server', server.url, 'start-fresh', 'gina']);
    expect(asked.code).toBe(1);
    expect(asked.stdout).toMatch(/^1\tParley CLI\t/);
    expect(asked.stderr).toMatch(/Nothing changed.*--yes/s);
    expect(readdirSync(fresh)).toEqual([]);
    expect((await runCli(['--profile', fresh, '--server', server.url, 'start-fresh'])).code).toBe(2);

    const started = await runCli(['--profile', fresh, '--server', server.url, 'start-fresh', 'gina', '--yes']);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(started.stdout).toMatch(/^Started @gina afresh \(device 2\)/);
    expect(jsonLines((await runCli(['--profile', fresh, 'devices', '--json'])).stdout)).toEqual([expect.objectContaining({ deviceId: 2, thisDevice: true })]);
    const oldDevice = await runCli(['--profile', oldProfile, 'receive', '--json']);
    expect(oldDevice.code).toBe(1);
    expect(oldDevice.stderr).toMatch(/session was ended from another device/);
    // Another account is untouched.
    expect((await runCli(['--profile', otherProfile, 'devices'])).code).toBe(0);
  });

  it('links a new profile with link-request and link; the linked profile receives as any other device', async () => {
    const laptopProfile = directories.make('cli-alice-laptop');
    const request = spawnCli(['--profile', laptopProfile, '--server', server.url, 'link-request', '--name', 'Alice laptop']);
    let output = '';
    let errors = '';
    request.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    request.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => request.once('close', resolve));
    await eventually(() => output.includes('\n'), 'link-request prints its code');
    const code = output.split('\n')[0]!;
    expect(code).toMatch(/^parley-link:/);

    const mistyped = await runCli(['--profile', aliceProfile, 'link', `${code.slice(0, -1)}x`]);
    expect(mistyped.code).toBe(1);
    expect(mistyped.stderr).toMatch(/not a whole link code/);
    const linked = await runCli(['--profile', aliceProfile, 'link', code]);
    expect(linked).toMatchObject({ code: 0, stderr: '' });
    expect(linked.stdout).toContain('Linked "Alice laptop" to @alice');
    expect(await exited, errors).toBe(0);
    expect(output.split('\n')[1]).toBe('Linked as @alice (device 2)');
    const again = await runCli(['--profile', aliceProfile, 'link', code]);
    expect(again.stderr).toMatch(/expired or was already used/);

    const sent = await runCli(['--profile', bobProfile, 'send', 'alice', 'to both of alice']);
    expect(sent.code).toBe(0);
    // More history than the inbox holds while a restore runs (4,000): receive must print it all and exit.
    const desk = TestDevice.ofProfile('alice', aliceProfile);
    await desk.start({ connect: false, passphrase: CLI_PASSPHRASE });
    const bobDevice = TestDevice.ofProfile('bob', bobProfile);
    await bobDevice.start({ connect: false, passphrase: CLI_PASSPHRASE });
    const bobAccountId = bobDevice.accountId;
    await bobDevice.stop();
    try {
      await seedArchive(desk, { serverUrl: server.url, peers: [bobAccountId], count: 4_500, textOf: (index) => `older ${index}` });
    } finally {
      await desk.stop();
    }
    const received = jsonLines((await runCli(['--profile', laptopProfile, 'receive', '--json'])).stdout);
    // What alice's desk archived before the link (restored), and what came since (not marked).
    const restored = received.filter((line) => line.restored === true);
    expect(restored.length).toBeGreaterThan(0);
    expect(received.filter((line) => line.restored !== true)).toEqual([expect.objectContaining({ from: 'bob', text: 'to both of alice' })]);
    expect(restored.map((line) => line.text)).toContain('hello from the command line ✉️');
    expect(restored.filter((line) => String(line.text).startsWith('older '))).toHaveLength(4_500);
    const devices = jsonLines((await runCli(['--profile', laptopProfile, 'devices', '--json'])).stdout);
    expect(devices.map((device) => [device.deviceId, device.name, device.thisDevice])).toEqual([
      [2, 'Alice laptop', true],
      [1, 'Parley CLI', false],
    ]);
  });

  it('leaves no plaintext in the profile folder', () => {
    const files = readdirSync(bobProfile).map((name) => readFileSync(join(bobProfile, name)).toString('latin1'));
    expect(files.join('')).not.toContain('hello from the command line');
    expect(files.join('')).not.toContain('queued 1');
  });
});
