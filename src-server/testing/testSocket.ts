import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import type { Envelope, ReadyFrame, ServerFrame } from '../../src-shared/protocol/frames';

type FrameOf<Type extends ServerFrame['type']> = Extract<ServerFrame, { type: Type }>;
type Waiter = { accepts(frame: ServerFrame): boolean; resolve(frame: ServerFrame): void };

/**
 * A raw WebSocket client for tests: frames are kept in arrival order; `next(type)` takes the
 * oldest unread frame of a type, waiting for it if needed.
 */
export class TestSocket {
  /** Every frame received, in order, read or not. */
  readonly received: ServerFrame[] = [];
  private readonly unread: ServerFrame[] = [];
  private readonly waiters: Waiter[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      this.received.push(frame);
      const waiter = this.waiters.find((candidate) => candidate.accepts(frame));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      } else {
        this.unread.push(frame);
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static open(baseUrl: string, authorization: string): Promise<TestSocket> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/websocket`, { headers: { authorization } });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new TestSocket(socket)));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }

  /** The HTTP status with which an upgrade is refused. */
  /** The status and parsed JSON body of a refused upgrade. */
  static refusalBody(baseUrl: string, path: string, authorization?: string): Promise<{ status: number; body: unknown }> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, authorization ? { headers: { authorization } } : {});
    return new Promise((resolve, reject) => {
      socket.once('open', () => reject(new Error('the upgrade was accepted')));
      socket.once('unexpected-response', (_request, response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown });
          socket.terminate();
        });
      });
      socket.once('error', reject);
    });
  }

  static refusal(baseUrl: string, path: string, authorization?: string): Promise<number> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, authorization ? { headers: { authorization } } : {});
    return new Promise((resolve, reject) => {
      socket.once('open', () => reject(new Error('the upgrade was accepted')));
      socket.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        response.resume();
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  /** Connects and says hello; resolves with the `ready` frame. */
  static async ready(baseUrl: string, authorization: string): Promise<{ socket: TestSocket; ready: ReadyFrame }> {
    const socket = await TestSocket.open(baseUrl, authorization);
    socket.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    return { socket, ready: await socket.next('ready') };
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  next<Type extends ServerFrame['type']>(type: Type, timeoutMs = 10_000): Promise<FrameOf<Type>> {
    const accepts = (frame: ServerFrame) => frame.type === type;
    const index = this.unread.findIndex(accepts);
    if (index >= 0) return Promise.resolve(this.unread.splice(index, 1)[0] as FrameOf<Type>);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        accepts,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame as FrameOf<Type>);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${type} frame within ${timeoutMs} ms; received: ${this.received.map((frame) => frame.type).join(',')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Frames of a type that arrived and were not read yet. */
  unreadOf(type: ServerFrame['type']): ServerFrame[] {
    return this.unread.filter((frame) => frame.type === type);
  }

  /** Reads `envelopes` frames until `count` envelopes arrived, acking each frame if asked. */
  async receiveEnvelopes(count: number, options: { ack: boolean }): Promise<Envelope[]> {
    const envelopes: Envelope[] = [];
    while (envelopes.length < count) {
      const frame = await this.next('envelopes');
      envelopes.push(...frame.items);
      if (options.ack) this.send({ type: 'ack', envelopeIds: frame.items.map((item) => item.id) });
    }
    return envelopes;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close(1000, 'test done');
    return this.closed;
  }
}
