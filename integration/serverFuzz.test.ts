import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../src-server/testing/backends';
import { fakeDeviceKeys } from '../src-server/testing/fakeKeys';
import { basic, registerAccount, request, uniqueUsername, type TestDevice } from '../src-server/testing/httpClient';
import { startTestServer, type TestServer } from '../src-server/testing/testServer';
import { TestSocket } from '../src-server/testing/testSocket';
import { PROTOCOL_VERSION } from '../src-shared/protocol/version';
import { Conversation } from './serverFuzz/conversation';
import { frameArbitrary, type FuzzFrame } from './serverFuzz/frameCases';
import { FuzzSocket } from './serverFuzz/fuzzSocket';
import { httpCaseArbitrary, renderHttpCase, type HttpCase, type HttpFuzzContext } from './serverFuzz/httpCases';
import { judgeAnswer, judgeRaw, Tally } from './serverFuzz/httpOracle';
import { LogWatch } from './serverFuzz/logWatch';
import { sendAndReset, upgradeRequest, type ResetMoment } from './rawSocket';
import { exchange } from './serverFuzz/rawHttp';

/**
 * Property-based fuzzing of a real server: generated HTTP requests (raw bytes over `net`, and
 * valid-shaped ones through fetch) and generated WebSocket frames, from several connections at
 * once, while alice keeps sending bob numbered messages. Afterwards the server still answers,
 * bob has every message exactly once and in order, memory is back near where it was, and the
 * server logged nothing unexpected. Set PARLEY_FUZZ_SEED to replay another run.
 */

const HTTP_REQUESTS = 10_000;
const WS_FRAMES = 10_000;
const HTTP_WORKERS = 16;
// More sockets share more of each SQLite commit (one fsync per group commit).
const WS_WORKERS = 8;
const FRAMES_PER_RUN = 5;
const SEED = Number(process.env.PARLEY_FUZZ_SEED ?? 20_260_101);
/** A complete request gets this long for its answer; one left incomplete on purpose far less. */
// Generous: a bound on the run, not a speed requirement. On SQLite every commit syncs to disk on
// the event loop the server and this test share, and a busy disk can stall both for seconds.
const ANSWER_DEADLINE_MS = 60_000;
const HANG_DEADLINE_MS = 200;
const MEMORY_TOLERANCE_BYTES = 64 * 1024 * 1024;

// Vitest does not expose gc; this makes it reachable from a fresh context.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
function settledHeap(): number {
  for (let round = 0; round < 3; round++) collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Warnings the fuzz provokes on purpose: `ws` failing a socket for invalid UTF-8 or a frame past the hard limit. */
// Each is logged twice, by the session (`socket_error`) and by @fastify/websocket's error handler
// (`socket_failed`).
const EXPECTED_WARNINGS = [/"event":"socket_(error|failed)".*(invalid UTF-8 sequence|Max payload size exceeded)/i];

const preview = (data: string | Buffer, length = 160) => {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  return JSON.stringify(text.length > length ? `${text.slice(0, length)}…(${text.length} chars)` : text);
};

const describeRequest = (request: HttpCase, size: number) =>
  `${preview(`${request.method} ${request.target} ${request.version}`)} headers=${preview(JSON.stringify(request.headers), 400)} framing=${request.framing} headEnding=${request.headEnding} body=${preview(request.body)} size=${size}`;

/** Set when one property fails, so the others stop sending and the failure is reported at once. */
let failing = false;

/** fc.assert with a fixed seed and no shrinking (a real server is slow to shrink against); the failure names seed and case. */
async function assertProperty<T>(name: string, property: fc.IAsyncPropertyWithHooks<T>, numRuns: number, seed: number): Promise<void> {
  await fc.assert(property, {
    numRuns,
    seed,
    endOnFailure: true,
    reporter: (details) => {
      if (!details.failed) return;
      failing = true;
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`${name} failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}; replay with PARLEY_FUZZ_SEED=${SEED}): ${cause}`);
    },
  });
}

const FETCH_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']);
const FETCH_HEADERS = new Set(['authorization', 'content-type', 'content-encoding']);

/** The parts of a generated request fetch can send: a plain method and path, a few headers, a body. */
function asFetch(request: HttpCase): { path: string; init: RequestInit } | undefined {
  if (!FETCH_METHODS.has(request.method) || !/^\/[\x21-\x7e]*$/.test(request.target)) return undefined;
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (!FETCH_HEADERS.has(name.toLowerCase()) || headers.has(name)) continue;
    try {
      headers.append(name, value);
    } catch {
      // A value fetch refuses (a control character): leave the header out.
    }
  }
  const body = request.method === 'GET' || request.method === 'HEAD' || request.body.length === 0 ? undefined : request.body;
  return { path: request.target, init: { method: request.method, headers, ...(body ? { body } : {}) } };
}

describe.each(testBackends())('the server under fuzzing on $name', (backend) => {
  let server: TestServer;
  let port: number;
  let logWatch: LogWatch;
  let conversation: Conversation;
  let httpFuzzer: TestDevice;
  const frameFuzzers: TestDevice[] = [];

  beforeAll(async () => {
    server = await startTestServer(backend, {
      // Registrations are refused per address after 20 an hour: the fuzzer wants validation, not 429s.
      limits: { registrationsPerSourcePerHour: 1_000_000, registrationsPerMinute: 1_000_000 },
    });
    port = Number(new URL(server.url).port);
    logWatch = new LogWatch(server.logs);
    const alice = await registerAccount(server.url, { username: uniqueUsername('alice') });
    const bob = await registerAccount(server.url, { username: uniqueUsername('bob') });
    httpFuzzer = await registerAccount(server.url, { username: uniqueUsername('http') });
    for (let index = 0; index < WS_WORKERS; index++) frameFuzzers.push(await registerAccount(server.url, { username: uniqueUsername(`frames${index}`) }));
    conversation = await Conversation.start(server.url, alice, bob);
  }, 120_000);

  afterAll(async () => {
    logWatch?.stop();
    await conversation?.close().catch(() => undefined);
    await server?.close();
  });

  const health = async () => {
    const answer = await request(server.url, 'GET', '/v1/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true });
  };

  it('answers a raw WebSocket upgrade to //%zz and other broken upgrade targets, and carries on', async () => {
    const headers = { Host: `127.0.0.1:${port}`, Authorization: httpFuzzer.authorization };
    for (const path of ['//%zz', '/%', '/%zz', '/v1/websocket%zz', '/v1/websocket?%zz', 'http://%zz/', '//%zz/v1/websocket']) {
      for (const withCredentials of [true, false]) {
        const answer = await exchange(port, [Buffer.from(upgradeRequest(path, withCredentials ? headers : { Host: headers.Host }))], 'GET', ANSWER_DEADLINE_MS);
        expect(answer.ending, path).not.toBe('timeout');
        expect(judgeAnswer('GET', answer.status, answer.headers['content-type'], answer.body), path).toBeUndefined();
        // Only the socket's own path, with good credentials, upgrades: a query there is no part of the route.
        const upgrades = withCredentials && path.startsWith('/v1/websocket?');
        expect(answer.status, path).toSatisfy((status: number | undefined) => (upgrades ? status === 101 : status !== undefined && status >= 400 && status < 500));
      }
    }
    await health();
  });

  it('lives through clients that reset (RST) a refused upgrade at any moment', async () => {
    const host = { Host: `127.0.0.1:${port}` };
    const wrongSecret = basic(`${httpFuzzer.accountId}.${httpFuzzer.deviceId}`, 'not-the-secret');
    const refused = [
      upgradeRequest('/v1/websocket', { ...host, Authorization: wrongSecret }),
      upgradeRequest('/v1/websocket', host),
      upgradeRequest('/v1/websocket', { ...host, Authorization: 'Basic %%%' }),
      upgradeRequest('/v1/websocket', { ...host, Authorization: basic(httpFuzzer.username, 'a wrong password') }),
      upgradeRequest('//%zz', { ...host, Authorization: wrongSecret }),
    ];
    const moments: ResetMoment[] = ['at once', 'next tick', 'at the first answer byte'];
    for (let round = 0; round < 20; round++) {
      await Promise.all(refused.flatMap((upgrade) => moments.map((moment) => sendAndReset(port, upgrade, moment))));
    }
    await health();
    // A refused upgrade read to its end is still a plain 401.
    const answer = await exchange(port, [Buffer.from(refused[0]!)], 'GET', ANSWER_DEADLINE_MS);
    expect(answer.status).toBe(401);
  });

  it('refuses a first hello of another protocol version and closes with 4001; a hello twice is only an error', async () => {
    const device = frameFuzzers[0]!;
    const stranger = await TestSocket.open(server.url, device.authorization);
    stranger.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1 });
    expect((await stranger.next('error')).error.code).toBe('unsupported_version');
    expect((await stranger.closed).code).toBe(4001);
    const { socket } = await TestSocket.ready(server.url, device.authorization);
    socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    expect((await socket.next('error')).error.code).toBe('bad_request');
    socket.send({ type: 'ping', requestId: 'after-two-hellos' });
    expect(await socket.next('pong')).toMatchObject({ requestId: 'after-two-hellos' });
    await socket.close();
  });

  it(
    `answers ${HTTP_REQUESTS} generated requests and ${WS_FRAMES} generated frames while alice keeps writing to bob`,
    async () => {
      const heapBefore = settledHeap();
      const startedAt = Date.now();
      const context: HttpFuzzContext = {
        host: `127.0.0.1:${port}`,
        deviceAuthorization: httpFuzzer.authorization,
        passwordAuthorization: basic(httpFuzzer.username, httpFuzzer.password),
        accountIds: [httpFuzzer.accountId, ...frameFuzzers.map((device) => device.accountId)],
        deviceKeys: [fakeDeviceKeys(), fakeDeviceKeys({ preKeys: 50, kyberPreKeys: 50 }), fakeDeviceKeys({ preKeys: 0, kyberPreKeys: 0 })],
      };
      const outcomes = new Tally();
      const loopDelay = monitorEventLoopDelay({ resolution: 20 });
      loopDelay.enable();
      const slow: string[] = [];
      /** A few requests of each ending without an answer, for the summary. */
      const unanswered = new Map<string, string[]>();
      let requestsSent = 0;

      const httpWorker = (worker: number) =>
        assertProperty(
          `HTTP worker ${worker}`,
          fc.asyncProperty(httpCaseArbitrary(context), fc.nat(9), async (generated, route) => {
            if (failing) return;
            requestsSent += 1;
            const rendered = renderHttpCase(generated);
            const viaFetch = route < 2 ? asFetch(generated) : undefined;
            const began = Date.now();
            const noteSlow = () => {
              if (Date.now() - began > 2_000) slow.push(`${Date.now() - began} ms at ${began - startedAt}: ${viaFetch ? 'fetch ' : ''}${describeRequest(generated, rendered.size).slice(0, 300)}`);
            };
            if (viaFetch) {
              let verdict: string | undefined;
              try {
                const response = await fetch(`${server.url}${viaFetch.path}`, { ...viaFetch.init, signal: AbortSignal.timeout(ANSWER_DEADLINE_MS) });
                const body = Buffer.from(await response.arrayBuffer());
                outcomes.add(`fetch:${response.status}`);
                verdict = judgeAnswer(viaFetch.init.method!, response.status, response.headers.get('content-type') ?? undefined, body);
              } catch (error) {
                const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
                outcomes.add(`fetch:failed:${cause}`);
                if ((error as Error).name === 'TimeoutError') verdict = 'fetch got no answer before the deadline';
              }
              noteSlow();
              if (verdict) throw new Error(`${verdict}\n  via fetch: ${viaFetch.init.method} ${viaFetch.path} ${describeRequest(generated, rendered.size)}`);
              return;
            }
            const answer = await exchange(port, rendered.pieces, rendered.method, rendered.mayHang ? HANG_DEADLINE_MS : ANSWER_DEADLINE_MS);
            outcomes.add(`raw:${answer.status ?? 'none'}:${answer.ending}`);
            if (answer.status === undefined) {
              const samples = unanswered.get(answer.ending) ?? [];
              if (samples.length < 6) samples.push(describeRequest(generated, rendered.size).slice(0, 240));
              unanswered.set(answer.ending, samples);
            }
            noteSlow();
            const verdict = judgeRaw(rendered.method, answer, rendered.mayHang, rendered.size);
            if (verdict) throw new Error(`${verdict}\n  request: ${describeRequest(generated, rendered.size)}\n  answer: ${preview(answer.bytes, 400)}`);
          }),
          Math.ceil(HTTP_REQUESTS / HTTP_WORKERS),
          SEED + worker,
        );

      const accounts = new Set([httpFuzzer, conversation.alice.device, conversation.bob.device, ...frameFuzzers].map((device) => device.accountId));
      const sockets = await Promise.all(frameFuzzers.map((device) => FuzzSocket.open(server.url, device.authorization, accounts)));
      const frameWorker = (worker: number) => {
        const socket = sockets[worker]!;
        const self = frameFuzzers[worker]!;
        const bob = conversation.bob.device;
        const alice = conversation.alice.device;
        const frames = frameArbitrary({
          self,
          bob: { accountId: bob.accountId, registrationId: bob.keys.registrationId },
          others: [alice.accountId, ...frameFuzzers.filter((device) => device !== self).map((device) => device.accountId)],
        });
        return assertProperty(
          `frame worker ${worker}`,
          fc.asyncProperty(fc.array(frames, { minLength: FRAMES_PER_RUN, maxLength: FRAMES_PER_RUN }), async (batch: FuzzFrame[]) => {
            if (failing) return;
            try {
              await socket.run(batch);
            } catch (error) {
              throw new Error(`${(error as Error).message}\n  frames: ${batch.map((frame) => `${frame.label}${frame.binary ? ' (binary)' : ''} ${preview(frame.data)}`).join('\n          ')}`);
            }
          }),
          Math.ceil(WS_FRAMES / FRAMES_PER_RUN / WS_WORKERS),
          SEED + 1_000 + worker,
        );
      };

      const workers = await Promise.allSettled([
        ...Array.from({ length: HTTP_WORKERS }, (_, worker) => httpWorker(worker)),
        ...Array.from({ length: WS_WORKERS }, (_, worker) => frameWorker(worker)),
      ]);
      await Promise.all(sockets.map((socket) => socket.close()));
      loopDelay.disable();
      const framesSent = sockets.reduce((sum, socket) => sum + socket.framesSent, 0);
      const reconnects = sockets.reduce((sum, socket) => sum + socket.reconnects, 0);
      logWatch.drain();
      const unexpected = logWatch.serious.filter((line) => !EXPECTED_WARNINGS.some((pattern) => pattern.test(line)));
      console.info(
        [
          `server fuzz on ${backend.name}, seed ${SEED}: ${requestsSent} requests, ${framesSent} frames (${reconnects} reconnects after closing frames) in ${Math.round((Date.now() - startedAt) / 1000)} s`,
          `  event loop delay: max ${Math.round(loopDelay.max / 1e6)} ms, p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms; ${slow.length} requests took over 2 s`,
          ...slow.slice(0, 10).map((line) => `  slow: ${line}`),
          `  outcomes: ${outcomes.toString()}`,
          `  server log events: ${logWatch.events.toString()}`,
          ...[...unanswered].flatMap(([ending, samples]) => samples.map((sample) => `  no answer (${ending}): ${sample}`)),
          ...unexpected.slice(0, 20).map((line) => `  UNEXPECTED: ${line}`),
        ].join('\n'),
      );
      const failure = workers.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure) throw failure.reason;

      // The conversation went on throughout: every message alice sent reached bob once, in order.
      await conversation.stop();
      await conversation.delivered(30_000);
      expect(conversation.sent.length).toBeGreaterThan(0);
      expect(conversation.received).toEqual(conversation.sent);
      await health();
      const heapAfter = settledHeap();
      console.info(
        `  alice → bob: ${conversation.sent.length} messages, all delivered in order (bob also got ${conversation.fromOthers} envelopes from the fuzzers); heap ${Math.round(heapBefore / 2 ** 20)} MiB before, ${Math.round(heapAfter / 2 ** 20)} MiB after`,
      );
      expect(requestsSent).toBeGreaterThanOrEqual(HTTP_REQUESTS);
      expect(framesSent).toBeGreaterThanOrEqual(WS_FRAMES);
      expect(unexpected).toEqual([]);
      expect(heapAfter - heapBefore).toBeLessThan(MEMORY_TOLERANCE_BYTES);
    },
    600_000,
  );
});
