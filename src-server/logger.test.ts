import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { LogFields } from '../src-shared/domain/runtime';
import { createJsonLinesLogger, createPinoLogger, pinoOf, scrubFields } from './logger';

const NOW = Date.UTC(2024, 3, 5, 10, 20, 30, 456);

function capture(level: 'debug' | 'info' | 'warn' = 'debug') {
  const lines: string[] = [];
  const logger = createJsonLinesLogger({ write: (line) => lines.push(line), level, now: () => NOW });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, logger, records, pino: pinoOf(logger) };
}

/** Every name FEATURES H1/H4 keep out of logs, in the spellings callers and Fastify use. */
const FORBIDDEN = [
  'body', 'bodies', 'text', 'content', 'ciphertext', 'plaintext', 'envelope', 'message', 'payload', 'fileName',
  'password', 'newPassword', 'passphrase', 'authorization', 'proxy-authorization', 'secret', 'deviceSecret', 'token',
  'accessToken', 'cookie', 'set-cookie', 'credentials',
  'key', 'keys', 'publicKey', 'privateKey', 'identityKey', 'signedPreKey', 'preKeys', 'kyberLastResortPreKey', 'signature',
  'ip', 'ips', 'clientIp', 'remoteAddress', 'remotePort', 'address', 'x-forwarded-for', 'x_real_ip', 'forwarded', 'host',
  'hostname', 'headers', 'url', 'query', 'user-agent', 'mac',
  'username', 'phoneNumber', 'email', 'emailAddress', 'location', 'latitude',
];
const spellings = (name: string) => [name, name.toUpperCase(), name[0]?.toUpperCase() + name.slice(1), name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];

describe('createJsonLinesLogger', () => {
  it('writes one JSON object per line, synchronously: level, time, event, fields', () => {
    const { lines, logger } = capture();
    logger.info('retention_ran', { envelopesRemoved: 2, repeated: false });
    expect(lines).toEqual(['{"level":"info","time":"2024-04-05T10:20:30.456Z","event":"retention_ran","envelopesRemoved":2,"repeated":false}\n']);
  });

  it('drops levels under the threshold', () => {
    const { logger, records } = capture('warn');
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(records().map((record) => record.event)).toEqual(['c', 'd']);
  });
});

describe('what never reaches a log (H1, H4)', () => {
  it('drops every forbidden field, in any case, at the top level and nested, from services and from pino', () => {
    const { lines, logger, pino } = capture();
    let n = 0;
    const sentinels: string[] = [];
    const sentinel = () => {
      const value = `SENTINEL${String(n++).padStart(4, '0')}`;
      sentinels.push(value);
      return value;
    };
    for (const name of FORBIDDEN) {
      for (const spelling of spellings(name)) {
        logger.warn('top_level', { [spelling]: sentinel(), route: 'health' });
        pino.warn({ [spelling]: sentinel(), outer: { [spelling]: sentinel(), list: [{ inner: { [spelling]: sentinel() } }] } });
        // A class instance is checked as JSON.stringify would write it.
        class Holder {
          constructor(readonly value: Record<string, string>) {}
        }
        pino.warn({ holder: new Holder({ [name]: sentinel() }) }, 'instance');
      }
    }
    const output = lines.join('');
    const leaked = sentinels.filter((value) => output.includes(value));
    expect(leaked.length, `leaked: ${output.split('\n').filter((line) => leaked.some((value) => line.includes(value))).slice(0, 3).join('\n')}`).toBe(0);
    expect(output).toContain('"route":"health"');
    expect(output).toContain('"outer":{"list":[{"inner":{}}]}');
  });

  it('keeps counts and ids that only sound like key material', () => {
    expect(scrubFields({ accountId: 'a', preKeyCount: 3, keyId: 7, signedPreKeyReplaced: true, durationMs: 4 })).toEqual({
      accountId: 'a', preKeyCount: 3, keyId: 7, signedPreKeyReplaced: true, durationMs: 4,
    });
  });

  it('writes bytes as [bytes], nested errors through the error serializer, and cuts what is nested too deep to check', () => {
    const { records, pino } = capture();
    const failure = Object.assign(new Error('failed'), { body: 'SENTINEL-extra' });
    pino.info({ frame: Buffer.from('SENTINEL-bytes'), day: new Date(0), inner: { failure }, a: { b: { c: { d: { e: { f: { g: { h: 'SENTINEL-deep' } } } } } } } }, 'nested');
    const line = JSON.stringify(records()[0]);
    expect(line).toContain('"frame":"[bytes]"');
    expect(line).toContain('"day":"1970-01-01T00:00:00.000Z"');
    expect(line).toContain('"failure":{"type":"Error","message":"failed"');
    expect(line).toContain('[truncated]');
    expect(line).not.toContain('SENTINEL');
  });

  it('takes addresses and query strings out of messages and errors', () => {
    const { lines, logger, pino } = capture();
    pino.info('Server listening at http://127.0.0.1:3000 and http://[::1]:3000 on localhost');
    pino.info('Route GET:/v1/keys?token=abc not found');
    pino.error(new Error('connect ECONNREFUSED 10.0.0.5:5432 fe80::1'));
    logger.error('database_connection_lost', { error: 'connect ECONNREFUSED 10.0.0.5:5432' });
    const output = lines.join('');
    for (const value of ['127.0.0.1', '::1', 'localhost', 'token=abc', '10.0.0.5', 'fe80']) expect(output).not.toContain(value);
    expect(output).toContain('Route GET:[path] not found');
  });

  it('drops forbidden names and account ids from child bindings', () => {
    const { records, pino } = capture();
    pino.child({ reqId: 'req-1', accountId: 'alice', Password: 'p' }).child({ deviceId: 'd', remoteAddress: '10.0.0.1' }).info('from child');
    expect(records()[0]).toEqual({ level: 'info', reqId: 'req-1', time: '2024-04-05T10:20:30.456Z', event: 'from child' });
  });
});

describe('time on lines that name an account (H4)', () => {
  it('is the day only when a line names an account or device, at any depth, and full otherwise', () => {
    const { logger, pino, records } = capture();
    logger.info('account_registered', { accountId: 'a' });
    logger.info('device_added', { device_id: 'd' });
    pino.info({ sender: { accountId: 'a' } }, 'nested');
    logger.info('server_listening', { port: 1 });
    expect(records().map((record) => record.time)).toEqual(['2024-04-05', '2024-04-05', '2024-04-05', '2024-04-05T10:20:30.456Z']);
  });

  it("reduces the line's own timestamps to the day too, and never lets a caller set time", () => {
    const { logger, records } = capture();
    logger.info('send_stored', { accountId: 'a', sentAt: NOW, serverTimestamp: '2024-04-05T10:20:30.456Z', time: NOW, durationMs: 12 });
    logger.info('retention_ran', { ranAt: NOW, time: 0 });
    expect(records()).toEqual([
      { level: 'info', time: '2024-04-05', event: 'send_stored', accountId: 'a', sentAt: '2024-04-05', serverTimestamp: '2024-04-05', durationMs: 12 },
      { level: 'info', time: '2024-04-05T10:20:30.456Z', event: 'retention_ran', ranAt: NOW },
    ]);
  });
});

describe('Fastify lines', () => {
  it('reduce a request to its method and route and a reply to its status', () => {
    const { records, pino } = capture();
    pino.info(
      {
        req: {
          method: 'POST',
          url: '/v1/devices/d1?token=abc',
          routeOptions: { url: '/v1/devices/:deviceId' },
          headers: { authorization: 'Basic c2VjcmV0', host: 'parley.example', 'x-forwarded-for': '203.0.113.9' },
          host: 'parley.example',
          hostname: 'parley.example',
          remoteAddress: '203.0.113.9',
          remotePort: 51234,
        },
        res: { statusCode: 201, headers: { 'set-cookie': 'a=b' } },
        responseTime: 3,
      },
      'request completed',
    );
    expect(records()[0]).toEqual({
      level: 'info',
      time: '2024-04-05T10:20:30.456Z',
      req: { method: 'POST', route: '/v1/devices/:deviceId' },
      res: { statusCode: 201 },
      responseTime: 3,
      event: 'request completed',
    });
  });

  it("lose headers, URL, host and address even under a child given Fastify's own request serializer", () => {
    const { lines, pino } = capture();
    const fastifyDefault = (request: { method: string; url: string; host: string; ip: string; socket: { remotePort: number } }) => ({
      method: request.method,
      url: request.url,
      host: request.host,
      hostname: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket.remotePort,
      headers: { authorization: 'Basic SENTINEL' },
    });
    const child = pino.child({}, { serializers: { req: fastifyDefault } });
    child.info({ req: { method: 'GET', url: '/v1/x?SENTINEL', host: 'SENTINEL.example', ip: '203.0.113.9', socket: { remotePort: 5 } } }, 'incoming request');
    expect(lines.join('')).not.toMatch(/SENTINEL|203\.0\.113\.9|remotePort/);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ req: { method: 'GET' } });
  });

  it('from a real Fastify app carry no URL, header, host or address', async () => {
    const { lines, records, pino } = capture();
    const app = Fastify({ loggerInstance: pino });
    app.post('/v1/devices/:deviceId', async (request) => {
      request.log.info({ accountId: 'alice' }, 'device_request');
      return { ok: true };
    });
    app.get('/v1/fail', async () => {
      throw Object.assign(new Error('boom at 10.1.2.3'), { validation: [{ data: 'SENTINEL-body' }] });
    });
    try {
      const headers = { authorization: 'Basic SENTINEL-auth', 'x-forwarded-for': '203.0.113.9', cookie: 'SENTINEL-cookie', 'user-agent': 'SENTINEL-agent' };
      await app.inject({ method: 'POST', url: '/v1/devices/d1?token=SENTINEL-query', headers, payload: { body: 'SENTINEL-payload' } });
      await app.inject({ method: 'GET', url: '/v1/fail?x=1', headers });
      await app.inject({ method: 'GET', url: '/v1/accounts/SENTINEL-name?token=SENTINEL-404', headers });
    } finally {
      await app.close();
    }
    const output = lines.join('');
    for (const value of ['SENTINEL', '127.0.0.1', '203.0.113.9', '10.1.2.3', 'localhost', 'd1', '?']) expect(output).not.toContain(value);
    const requests = records().filter((record) => record.req !== undefined);
    expect(requests.length).toBeGreaterThan(0);
    for (const record of requests) expect(Object.keys(record.req as object).sort()).toEqual(expect.arrayContaining(['method']));
    expect(requests.map((record) => record.req)).toContainEqual({ method: 'POST', route: '/v1/devices/:deviceId' });
    expect(records().find((record) => record.event === 'device_request')).toMatchObject({ accountId: 'alice', time: '2024-04-05' });
    expect(records().map((record) => record.res).filter(Boolean)).toContainEqual({ statusCode: 500 });
  });
});

describe('pinoOf', () => {
  it('is the instance behind a logger from this module, and forwards to any other logger', () => {
    const ours = capture();
    expect(pinoOf(ours.logger)).toBe(ours.pino);
    const seen: Array<[string, string, LogFields | undefined]> = [];
    const remember = (level: string) => (event: string, fields?: LogFields) => seen.push([level, event, fields]);
    const foreign = { debug: remember('debug'), info: remember('info'), warn: remember('warn'), error: remember('error') };
    pinoOf(foreign).warn({ req: { method: 'GET', routeOptions: { url: '/v1/health' } }, password: 'p' }, 'slow');
    expect(seen).toEqual([['warn', 'slow', { 'req.method': 'GET', 'req.route': '/v1/health' }]]);
  });

  it('leaves createPinoLogger a plain pino logger with our formatting', () => {
    const lines: string[] = [];
    const { pino } = createPinoLogger({ destination: { write: (line) => lines.push(line) }, now: () => NOW });
    pino.debug('hidden');
    pino.info({ accountId: 'a' }, 'shown');
    expect(lines).toEqual(['{"level":"info","time":"2024-04-05","accountId":"a","event":"shown"}\n']);
  });
});

describe('createStderrLogger', () => {
  it('writes to stderr and flushes before the process exits', () => {
    const logger = fileURLToPath(new URL('./logger.ts', import.meta.url));
    const script = `import { createStderrLogger } from ${JSON.stringify(logger)};
      const log = createStderrLogger('info');
      for (let i = 0; i < 200; i++) log.info('tick', { i });
      process.exit(0);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stdout).toBe('');
    const events = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as { event: string; i: number });
    expect(events).toHaveLength(200);
    expect(events.at(-1)).toMatchObject({ event: 'tick', i: 199 });
  });
});
