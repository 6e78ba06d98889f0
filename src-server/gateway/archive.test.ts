import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_BATCH_MAX } from '../../src-shared/protocol/archive';
import { testBackends } from '../testing/backends';
import { addDevice, registerAccount, request } from '../testing/httpClient';
import { startTestServer, type TestServer } from '../testing/testServer';

const item = (id: string, text = id) => ({ id, body: Buffer.from(`sealed ${text}`).toString('base64') });

describe.each(testBackends())('the encrypted archive over HTTP on $name', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { retentionMs: 28 * 86_400_000 });
  });
  afterAll(() => server.close());
  const append = (authorization: string, items: unknown[], epoch = 0) =>
    request(server.url, 'POST', '/v1/archive/items', { authorization, body: { epoch, items } });
  const page = (authorization: string, query = '') => request(server.url, 'GET', `/v1/archive/items${query}`, { authorization });

  it('keeps what any device of the account appends, once per id, and pages it oldest first to every device', async () => {
    const desk = await registerAccount(server.url);
    const laptop = await addDevice(server.url, desk);
    const stranger = await registerAccount(server.url);
    expect(await append(desk.authorization, [item('a1'), item('a2')])).toMatchObject({ status: 200, body: { stored: 2 } });
    expect(await append(laptop.authorization, [item('a2', 'again'), item('b1')])).toMatchObject({ status: 200, body: { stored: 1 } });

    const all = (await page(laptop.authorization)).body as { items: Array<{ id: string; body: string; day: number; seq: number }>; next: number | null };
    expect(all.items.map((entry) => entry.id)).toEqual(['a1', 'a2', 'b1']);
    expect(Buffer.from(all.items[1]!.body, 'base64').toString()).toBe('sealed a2');
    expect(all.items[0]!.day).toBe(Math.floor(server.clock.now() / 86_400_000));
    expect(all.next).toBeNull();
    const first = (await page(desk.authorization, '?limit=2')).body as { items: Array<{ id: string }>; next: number };
    expect(first.items.map((entry) => entry.id)).toEqual(['a1', 'a2']);
    expect(((await page(desk.authorization, `?after=${first.next}`)).body as { items: Array<{ id: string }> }).items.map((entry) => entry.id)).toEqual(['b1']);
    expect((await page(stranger.authorization)).body).toEqual({ items: [], next: null });
    // count=1 says how many there are from `after` on, for a progress bar.
    expect((await page(desk.authorization, '?limit=1&count=1')).body).toMatchObject({ next: expect.any(Number), remaining: 3 });
    expect((await page(desk.authorization, `?after=${first.next}&count=1`)).body).toMatchObject({ next: null, remaining: 1 });
    expect((await page(desk.authorization, '?count=yes')).status).toBe(400);
  });

  it('refuses malformed uploads and queries', async () => {
    const desk = await registerAccount(server.url);
    expect((await append(desk.authorization, [])).status).toBe(400);
    expect((await request(server.url, 'POST', '/v1/archive/items', { authorization: desk.authorization, body: { items: [item('no-epoch')] } })).status).toBe(400);
    expect((await append(desk.authorization, [{ id: 'bad id!', body: 'AAAA' }])).status).toBe(400);
    expect((await append(desk.authorization, [{ id: 'x', body: 'not base64' }])).status).toBe(400);
    expect((await append(desk.authorization, Array.from({ length: ARCHIVE_BATCH_MAX + 1 }, (_, index) => item(`i${index}`)))).status).toBe(400);
    expect((await page(desk.authorization, '?limit=0')).status).toBe(400);
    expect((await page(desk.authorization, '?after=-1')).status).toBe(400);
    expect((await request(server.url, 'GET', '/v1/archive/items', {})).status).toBe(401);
  });

  it('switched off, deletes everything and takes nothing from any device until switched on again, and then nothing staged before', async () => {
    const desk = await registerAccount(server.url);
    const laptop = await addDevice(server.url, desk);
    await append(desk.authorization, [item('kept')]);
    expect((await request(server.url, 'GET', '/v1/archive/settings', { authorization: laptop.authorization })).body).toEqual({ enabled: true, epoch: 0 });
    expect((await request(server.url, 'PUT', '/v1/archive/settings', { authorization: laptop.authorization, body: { enabled: false } })).status).toBe(204);
    expect((await page(desk.authorization)).body).toEqual({ items: [], next: null });
    expect(await append(desk.authorization, [item('refused')])).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    await request(server.url, 'PUT', '/v1/archive/settings', { authorization: desk.authorization, body: { enabled: true } });
    expect((await request(server.url, 'GET', '/v1/archive/settings', { authorization: laptop.authorization })).body).toEqual({ enabled: true, epoch: 1 });
    // What a device staged before the switch-off (epoch 0) is refused: deleted history does not come back.
    expect(await append(laptop.authorization, [item('staged-before')], 0)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await append(desk.authorization, [item('again')], 1)).toMatchObject({ status: 200, body: { stored: 1 } });
    expect((await request(server.url, 'DELETE', '/v1/archive/items', { authorization: desk.authorization })).status).toBe(204);
    expect((await request(server.url, 'GET', '/v1/archive/settings', { authorization: desk.authorization })).body).toEqual({ enabled: false, epoch: 2 });
  });

  it('forgets items older than the retention period when the retention job runs', async () => {
    const desk = await registerAccount(server.url);
    await append(desk.authorization, [item('old')]);
    server.clock.advance(29 * 86_400_000);
    await append(desk.authorization, [item('new')]);
    await server.server.runRetention();
    expect(((await page(desk.authorization)).body as { items: Array<{ id: string }> }).items.map((entry) => entry.id)).toEqual(['new']);
  });
});
