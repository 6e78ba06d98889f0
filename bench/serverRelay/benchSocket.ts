import WebSocket from 'ws';
import type { Envelope, ServerFrame } from '../../src-shared/protocol/frames';
import { HTTP_ROUTES } from '../../src-shared/protocol/http';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import type { RegisteredDevice } from './benchDevices';

export type SocketHandlers = {
  /** A `send_result` arrived for `requestId`. */
  onSendResult(socket: BenchSocket, requestId: string, ok: boolean, errorCode: string | undefined): void;
  /** Envelopes arrived; the socket has already acked them. */
  onEnvelopes(socket: BenchSocket, envelopes: Envelope[], receivedAt: number): void;
  onError(socket: BenchSocket, code: string): void;
};

/**
 * One simulated device's WebSocket: says hello, waits for `ready`, acks every envelope as soon as
 * it arrives (a real client acks after its own commit; the server's cost is the same), and hands
 * results and envelopes to the load.
 */
export class BenchSocket {
  private handlers: SocketHandlers | undefined;

  private constructor(
    readonly device: RegisteredDevice,
    private readonly socket: WebSocket,
  ) {
    socket.on('message', (data) => this.receive(String(data)));
  }

  static connect(baseUrl: string, device: RegisteredDevice, timeoutMs = 30_000): Promise<BenchSocket> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${HTTP_ROUTES.websocket}`, {
      headers: { authorization: device.authorization },
      perMessageDeflate: false,
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`device ${device.index}: no ready within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', fail);
      socket.once('unexpected-response', (_request, response) => fail(new Error(`device ${device.index}: upgrade refused with ${response.statusCode}`)));
      socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION })));
      const onReady = (data: WebSocket.RawData) => {
        const frame = JSON.parse(String(data)) as ServerFrame;
        if (frame.type !== 'ready') return;
        clearTimeout(timer);
        socket.off('message', onReady);
        socket.off('error', fail);
        socket.on('error', () => undefined);
        resolve(new BenchSocket(device, socket));
      };
      socket.on('message', onReady);
    });
  }

  use(handlers: SocketHandlers): void {
    this.handlers = handlers;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  sendText(text: string): void {
    this.socket.send(text);
  }

  private receive(text: string) {
    const frame = JSON.parse(text) as ServerFrame;
    switch (frame.type) {
      case 'send_result':
        this.handlers?.onSendResult(this, frame.requestId, frame.ok, frame.ok ? undefined : frame.error.code);
        break;
      case 'envelopes': {
        const receivedAt = performance.now();
        this.socket.send(JSON.stringify({ type: 'ack', envelopeIds: frame.items.map((item) => item.id) }));
        this.handlers?.onEnvelopes(this, frame.items, receivedAt);
        break;
      }
      case 'error':
        this.handlers?.onError(this, frame.error.code);
        break;
      default:
        break;
    }
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 5_000);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close(1000, 'bench done');
    });
  }
}

/** Connects every device, `concurrency` at a time. */
export async function connectAll(baseUrl: string, devices: RegisteredDevice[], concurrency = 64): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = new Array<BenchSocket>(devices.length);
  let next = 0;
  const worker = async () => {
    while (next < devices.length) {
      const position = next++;
      sockets[position] = await BenchSocket.connect(baseUrl, devices[position]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, devices.length) }, worker));
  return sockets;
}
