import { randomBytes, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsOf } from '../src-main/core/account/accountRecord';
import { deviceAuthorization } from '../src-main/core/api/serverApi';
import type { TypingChange } from '../src-shared/ipc/messaging';
import { HTTP_ROUTES } from '../src-shared/protocol/http';
import { testBackends } from '../src-server/testing/backends';
import { fakeDeviceKeys } from '../src-server/testing/fakeKeys';
import { basic, registerAccount as registerRawDevice, request, uniqueUsername } from '../src-server/testing/httpClient';
import { startTestServer, type TestServer } from '../src-server/testing/testServer';
import { TestSocket } from '../src-server/testing/testSocket';
import { TemporaryDirectories } from './harness/temporaryDirectory';
import { eventually, TEST_PASSWORD, TestDevice } from './harness/testDevice';

/**
 * FEATURES H1, H3, H4: every line the server logs during a scripted scenario (real cores with real
 * keys, a linked and a removed device, wrong passwords until `rate_limited`, bundle fetches,
 * messages and a typing indicator, malformed frames and bodies, a reconnect, shutdown), at every
 * level down to debug, is JSON, and none holds an address, a username, a password, a device
 * secret, an authorization header, message text or ciphertext; a line that names an account or a
 * device carries no time finer than the day.
 */

/** Envelope bodies as they cross any `ws` socket of this process (cores and server alike). */
const bodiesOnTheWire = new Set<string>();
const originalSend = WebSocket.prototype.send;

function captureBodies(data: unknown) {
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : '';
  if (!text.includes('"body"')) return;
  try {
    const frame = JSON.parse(text) as { items?: Array<{ body?: unknown }>; envelopes?: Array<{ body?: unknown }> };
    for (const item of [...(frame.items ?? []), ...(frame.envelopes ?? [])]) if (typeof item.body === 'string') bodiesOnTheWire.add(item.body);
  } catch {
    // Not JSON: not a frame that carries envelopes.
  }
}

/** A stretch from inside a body: its first bytes (version, ids) can be shared by unrelated ciphertexts. */
const bodyNeedle = (body: string) => (body.length > 72 ? body.slice(24, 72) : body);

const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_WITH_TIME = /\d{4}-\d{2}-\d{2}T\d{2}/;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/;
const normalise = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');
/** Our own reading of "names an account or device", independent of the server's redaction module. */
const isIdField = (name: string) =>
  /(account|device)(id)?s?$/.test(normalise(name)) || /^(sender|recipient|destination|member|user|source)(accountid|deviceid|id)?s?$/.test(normalise(name));
const isTimeNamed = (name: string) => /(at|time|timestamp|date)$/i.test(name);

type Entry = { path: string; name: string; value: unknown };

/** Every field at any depth, with its path. */
function entriesOf(value: unknown, path = ''): Entry[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, inner]) => {
    const at = path ? `${path}.${name}` : name;
    return [{ path: at, name, value: inner }, ...entriesOf(inner, at)];
  });
}

type Needle = { what: string; value: string };

/** Every way a line breaks the rules, as readable sentences (empty when it keeps them). */
function violationsOf(line: string, needles: Needle[], accountIds: string[], port: string): string[] {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return ['is not JSON'];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return ['is not a JSON object'];
  const found: string[] = [];
  const lower = line.toLowerCase();
  for (const form of ['127.0.0.1', '::1', '::ffff:', 'localhost', `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
    if (lower.includes(form)) found.push(`holds the address form ${form}`);
  }
  const ipv4 = IPV4.exec(line);
  if (ipv4) found.push(`holds an IPv4 address ${ipv4[0]}`);
  for (const needle of needles) if (lower.includes(needle.value.toLowerCase())) found.push(`holds ${needle.what}`);

  const entries = entriesOf(parsed);
  const idFields = entries.filter((entry) => isIdField(entry.name)).map((entry) => entry.path);
  const idsInText = accountIds.filter((id) => line.includes(id));
  const scoped = idFields.length > 0 || idsInText.length > 0;
  if (typeof parsed.time !== 'string' || !(DAY_ONLY.test(parsed.time) || ISO_WITH_TIME.test(parsed.time))) found.push('has no readable time');
  if (parsed.level === 'info' && typeof parsed.event === 'string' && parsed.event.startsWith('socket_') && scoped) {
    found.push(`is a socket event at info naming an account or device (${[...idFields, ...idsInText].join(', ')})`);
  }
  if (scoped) {
    const why = `names an account or device (${[...idFields, ...idsInText.map(() => 'an account id')].join(', ')})`;
    if (typeof parsed.time !== 'string' || !DAY_ONLY.test(parsed.time)) found.push(`${why} and has time ${String(parsed.time)}`);
    for (const entry of entries) {
      if (entry.path === 'time') continue;
      if (typeof entry.value === 'number' && entry.value > 1e12) found.push(`${why} and ${entry.path} looks like epoch ms`);
      if (typeof entry.value === 'number' && isTimeNamed(entry.name)) found.push(`${why} and ${entry.path} is a numeric time`);
      if (typeof entry.value === 'string' && ISO_WITH_TIME.test(entry.value)) found.push(`${why} and ${entry.path} is a time finer than the day`);
    }
  }
  return found;
}

/** The next value an emitter of the core emits. */
const nextTyping = (device: TestDevice) =>
  new Promise<TypingChange>((resolve) => {
    const stop = device.core.onTyping.on((change) => {
      stop();
      resolve(change);
    });
  });

describe('the reader of log lines', () => {
  const id = '0b4f6a52-8c1e-4d2a-9a6b-3f0c2d1e5a77';
  const needles = [{ what: 'a username', value: 'alice_0123456789' }];
  const judge = (line: string) => violationsOf(line, needles, [id], '4567');

  it('passes clean lines and finds each kind of breach', () => {
    expect(judge('{"level":"info","time":"2026-01-01T10:00:00.000Z","event":"socket_opened"}')).toEqual([]);
    expect(judge(`{"level":"info","time":"2026-01-01","event":"device_added","accountId":"${id}","deviceId":2}`)).toEqual([]);
    expect(judge('not json')).toEqual(['is not JSON']);
    expect(judge('{"level":"info","time":"2026-01-01T10:00:00.000Z","event":"x","from":"127.0.0.1:4567"}').length).toBeGreaterThan(0);
    expect(judge('{"level":"info","time":"2026-01-01T10:00:00.000Z","event":"x","peer":"::ffff:10.0.0.1"}').length).toBeGreaterThan(0);
    expect(judge('{"level":"info","time":"2026-01-01T10:00:00.000Z","event":"x","who":"Alice_0123456789"}')).toEqual(['holds a username']);
    expect(judge(`{"level":"info","time":"2026-01-01T10:00:00.000Z","event":"x","note":"${id}"}`).length).toBe(1);
    expect(judge('{"level":"debug","time":"2026-01-01","event":"x","deviceId":1,"sentAt":1767261600000}').length).toBe(2);
    expect(judge('{"level":"debug","time":"2026-01-01","event":"x","device":{"id":1},"seen":"2026-01-01T10:00:00Z"}').length).toBe(1);
    expect(judge('{"level":"info","time":"2026-01-01","event":"socket_opened","deviceId":1}').length).toBe(1);
  });
});

describe.each(testBackends())('what the server logs (H1, H3, H4) on $name', (backend) => {
  const directories = new TemporaryDirectories();
  beforeAll(() => {
    WebSocket.prototype.send = function send(this: WebSocket, data: unknown, ...rest: unknown[]) {
      captureBodies(data);
      return (originalSend as (...args: unknown[]) => void).apply(this, [data, ...rest]);
    } as typeof originalSend;
  });
  afterAll(() => {
    WebSocket.prototype.send = originalSend;
    directories.removeAll();
  });

  it('no address, username, password, secret, authorization, text or ciphertext in any line; ids only beside day-only times', { timeout: 180_000 }, async () => {
    const server: TestServer = await startTestServer(backend);
    const port = new URL(server.url).port;
    const running: TestDevice[] = [];
    const needles: Needle[] = [];
    const marker = `logcanary${randomBytes(6).toString('hex')}`;
    needles.push({ what: 'a marker string', value: marker });
    try {
      // Two real cores with real keys, and a linked second device of alice's (POST /v1/devices, password).
      const aliceName = uniqueUsername('alice');
      const bobName = uniqueUsername('bob');
      const alice = await (await TestDevice.register(server.url, aliceName, directories)).start();
      running.push(alice);
      const bob = await (await TestDevice.register(server.url, bobName, directories)).start();
      running.push(bob);
      const laptop = await alice.addDevice(server.url, directories);
      await laptop.start();
      running.push(laptop);
      await eventually(() => alice.core.isConnected && bob.core.isConnected && laptop.core.isConnected, 'all three cores are connected');
      const aliceAuthorization = deviceAuthorization(credentialsOf(alice.core.account));
      needles.push(
        { what: "alice's username", value: aliceName },
        { what: "bob's username", value: bobName },
        { what: 'the password', value: TEST_PASSWORD },
        { what: "alice's password authorization", value: basic(aliceName, TEST_PASSWORD).slice('Basic '.length) },
      );
      for (const device of [alice, bob, laptop]) {
        needles.push(
          { what: `the device secret of ${device.username}.${device.core.account.deviceId}`, value: device.core.account.deviceSecret },
          { what: `the authorization of ${device.username}.${device.core.account.deviceId}`, value: deviceAuthorization(credentialsOf(device.core.account)).slice('Basic '.length) },
        );
      }

      // Wrong passwords until the back-off refuses (429), for alice and for a name nobody has; a wrong device secret.
      const wrongPassword = `wrong-${marker}-password`;
      needles.push({ what: 'a wrong password', value: wrongPassword }, { what: 'a wrong password authorization', value: basic(aliceName, wrongPassword).slice(6) });
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 20 && statuses.at(-1) !== 429; attempt++) {
        const answer = await request(server.url, 'POST', HTTP_ROUTES.addDevice, { body: { device: fakeDeviceKeys() }, authorization: basic(aliceName, wrongPassword) });
        statuses.push(answer.status);
      }
      expect(statuses.at(-1)).toBe(429);
      expect(new Set(statuses.slice(0, -1))).toEqual(new Set([401]));
      const nobody = uniqueUsername('nobody');
      needles.push({ what: 'an unknown username', value: nobody });
      expect((await request(server.url, 'POST', HTTP_ROUTES.addDevice, { body: { device: fakeDeviceKeys() }, authorization: basic(nobody, wrongPassword) })).status).toBe(401);
      const wrongSecret = `secret${marker}`;
      needles.push({ what: 'a wrong device secret', value: wrongSecret });
      const wrongSecretAuthorization = basic(`${alice.accountId}.1`, wrongSecret);
      expect((await request(server.url, 'GET', HTTP_ROUTES.preKeys, { authorization: wrongSecretAuthorization })).status).toBe(401);
      // The back-off ends (the server's clock is the test's), so the password works again below.
      server.clock.advance(60 * 60 * 1000);

      // Prekey bundle fetches (all devices, one device, an account that does not exist) and a lookup by name.
      expect((await request(server.url, 'GET', `${HTTP_ROUTES.preKeyBundle}${bob.accountId}`, { authorization: aliceAuthorization })).status).toBe(200);
      expect((await request(server.url, 'GET', `${HTTP_ROUTES.preKeyBundle}${bob.accountId}/1`, { authorization: aliceAuthorization })).status).toBe(200);
      expect((await request(server.url, 'GET', `${HTTP_ROUTES.preKeyBundle}${randomUUID()}`, { authorization: aliceAuthorization })).status).toBe(404);
      expect((await request(server.url, 'GET', `${HTTP_ROUTES.lookupAccount}?username=${bobName}`, { authorization: aliceAuthorization })).status).toBe(200);

      // Messages with distinctive text, both ways, to every device.
      const texts = Array.from({ length: 3 }, (_, index) => `${marker}-text-${index} the eagle lands at dawn`);
      for (const text of texts) await alice.core.sendText({ username: bobName }, text);
      await eventually(() => bob.messages.length === texts.length && laptop.messages.length === texts.length, 'bob and alice\'s laptop have every text');
      expect(bob.textsFrom(alice)).toEqual(texts);
      const reply = `${marker}-reply meet me by the old mill`;
      await bob.core.sendText({ accountId: alice.accountId }, reply);
      await eventually(() => alice.messages.length === 1 && laptop.messages.length === texts.length + 1, 'both of alice\'s devices have the reply');

      // A typing indicator (online-only).
      const typing = nextTyping(bob);
      expect(await alice.core.sendTyping(bob.accountId, true)).toBe('sent');
      expect(await typing).toEqual({ accountId: alice.accountId, typing: true });

      // Malformed frames from a raw device, and malformed HTTP bodies.
      const mallory = await registerRawDevice(server.url, { username: uniqueUsername('mallory'), password: `mallory ${marker} password` });
      needles.push(
        { what: "mallory's username", value: mallory.username },
        { what: "mallory's password", value: mallory.password },
        { what: "mallory's secret", value: mallory.secret },
        { what: "mallory's authorization", value: mallory.authorization.slice(6) },
      );
      const { socket } = await TestSocket.ready(server.url, mallory.authorization);
      const garbage: Array<{ frame: string | Buffer; binary?: boolean }> = [
        { frame: `not json ${marker}` },
        { frame: JSON.stringify({ type: marker }) },
        { frame: JSON.stringify({ type: 'send', requestId: marker, idempotencyKey: marker, to: bob.accountId, timestamp: 1,
          envelopes: [{ accountId: bob.accountId, deviceId: 1, registrationId: 1, ciphertextType: 3, body: `%%%${marker}` }] }) },
        { frame: `{"type":"send","requestId":"${marker}"` },
        { frame: Buffer.from(`binary ${marker}`), binary: true },
      ];
      for (const { frame, binary } of garbage) socket.sendRaw(frame, binary);
      for (let index = 0; index < garbage.length; index++) expect((await socket.next('error')).error.code).toMatch(/^(bad_request|payload_too_large)$/);
      await socket.close();
      const markerName = `${marker}_name`;
      expect((await request(server.url, 'POST', HTTP_ROUTES.registerAccount, { rawBody: `{"username":"${markerName}","password":"${marker} pw"` })).status).toBe(400);
      expect((await request(server.url, 'POST', HTTP_ROUTES.registerAccount, { body: { username: markerName, password: `${marker} pw`, device: marker } })).status).toBe(400);
      expect((await request(server.url, 'PUT', HTTP_ROUTES.preKeys, { rawBody: `{"${marker}": [`, authorization: aliceAuthorization })).status).toBe(400);

      // The laptop is removed (DELETE /v1/devices/:id with the password); its socket is closed.
      const removal = await request(server.url, 'DELETE', `${HTTP_ROUTES.device}${laptop.core.account.deviceId}`, { authorization: basic(aliceName, TEST_PASSWORD) });
      expect(removal.status).toBe(204);
      await eventually(() => !laptop.core.isConnected, 'the removed laptop is disconnected');
      await laptop.stop();
      running.splice(running.indexOf(laptop), 1);

      // A reconnect: bob goes away, alice writes, bob comes back and catches up.
      await bob.stop();
      const whileAway = `${marker}-while-away are you there`;
      const sent = await alice.core.sendText({ accountId: bob.accountId }, whileAway);
      await alice.core.waitUntilSent(sent.messageId);
      await bob.start();
      await eventually(() => bob.messages.some((message) => message.messageId === sent.messageId), 'bob caught up after reconnecting');

      // Shutdown with alice and bob still connected.
      await server.close();
      for (const text of [...texts, reply, whileAway]) needles.push({ what: 'message text', value: text });
      expect(bodiesOnTheWire.size).toBeGreaterThan(texts.length); // the capture really saw the ciphertexts
      for (const body of bodiesOnTheWire) needles.push({ what: 'a ciphertext body', value: bodyNeedle(body) });

      const lines = server.logs.flatMap((chunk) => chunk.split('\n')).filter((line) => line.trim() !== '');
      // Positive controls: the scenario's events were logged, debug included.
      const events = new Set(lines.map((line) => (JSON.parse(line) as { event?: string }).event));
      for (const event of ['account_registered', 'device_added', 'device_removed', 'http_request', 'socket_opened', 'socket_closed', 'socket_closed_device', 'send_stored', 'server_closed']) {
        expect(events, `an ${event} line`).toContain(event);
      }
      expect(lines.some((line) => line.includes('"status":429'))).toBe(true);
      expect(lines.some((line) => line.includes(alice.accountId))).toBe(true);

      const accountIds = [alice.accountId, bob.accountId, mallory.accountId];
      const violations = lines.flatMap((line, index) => violationsOf(line, needles, accountIds, port).map((why) => `line ${index} ${why}: ${line}`));
      expect(violations).toEqual([]);
    } finally {
      await Promise.all(running.map((device) => device.stop().catch(() => undefined)));
      await server.close();
    }
  });
});
