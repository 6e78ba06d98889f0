import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerApi, ServerUnreachableError } from './serverApi';
import { InsecureTransportError } from './serverTransport';

describe('ServerApi transport', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  });

  const listen = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  it('is built for https://, for http:// to this machine, and for any http:// only when allowed', () => {
    expect(() => new ServerApi('http://chat.example:8787')).toThrow(InsecureTransportError);
    expect(() => new ServerApi('http://chat.example:8787')).toThrow('--insecure');
    expect(() => new ServerApi('http://chat.example:8787', undefined, { allowInsecureTransport: true })).not.toThrow();
    expect(() => new ServerApi('https://chat.example')).not.toThrow();
    expect(() => new ServerApi('http://localhost:7180')).not.toThrow();
  });

  it('keeps the allowance when it takes credentials', () => {
    const credentials = { accountId: 'a', deviceId: 1, secret: 's' };
    expect(() => new ServerApi('http://10.0.0.2', undefined, { allowInsecureTransport: true }).withCredentials(credentials)).not.toThrow();
  });

  it('follows no redirect, so a request and its password never move to another URL', async () => {
    let reachedTarget = false;
    const target = await listen((_request, response) => {
      reachedTarget = true;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"preKeys":1,"kyberPreKeys":1}');
    });
    const redirecting = await listen((_request, response) => response.writeHead(307, { location: `${target}/v1/keys` }).end());
    const api = new ServerApi(redirecting, { accountId: 'a', deviceId: 1, secret: 's' });
    await expect(api.preKeyCount()).rejects.toThrow(ServerUnreachableError);
    expect(reachedTarget).toBe(false);
  });
});
