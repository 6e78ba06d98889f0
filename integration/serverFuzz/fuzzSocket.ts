import WebSocket from 'ws';
import { serverFrameSchema, type ServerFrame } from '../../src-shared/protocol/frames';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/version';
import { expectationOf, type Expectation, type FuzzFrame } from './frameCases';

const ANSWER_TIMEOUT_MS = 60_000;

/**
 * A device socket that sends generated frames and checks the server's answers against
 * `expectationOf`. A frame that closes the socket on purpose (invalid UTF-8, past the hard size) is sent last in its batch; the socket then reconnects.
 */
export class FuzzSocket {
  private socket!: WebSocket;
  private inbox: ServerFrame[] = [];
  private wake: (() => void) | undefined;
  private closeCode: number | undefined;
  private markers = 0;
  /** Idempotency keys this device has sent: a repeat is answered as the first send was. */
  private readonly usedKeys = new Set<string>();
  framesSent = 0;
  reconnects = 0;

  private constructor(
    private readonly wsUrl: string,
    private readonly authorization: string,
    private readonly accounts: ReadonlySet<string>,
  ) {}

  /** `accounts`: every account that exists; a send to any other must fail. */
  static async open(baseUrl: string, authorization: string, accounts: ReadonlySet<string>): Promise<FuzzSocket> {
    const socket = new FuzzSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/websocket`, authorization, accounts);
    await socket.connect();
    return socket;
  }

  private async connect(): Promise<void> {
    this.inbox = [];
    this.closeCode = undefined;
    const socket = new WebSocket(this.wsUrl, { headers: { authorization: this.authorization }, maxPayload: 64 * 1024 * 1024 });
    this.socket = socket;
    socket.on('message', (data) => {
      let frame: ServerFrame;
      try {
        frame = serverFrameSchema.parse(JSON.parse(String(data)));
      } catch {
        this.inbox.push({ type: 'error', error: { code: 'internal', message: `the server sent a frame outside the protocol: ${String(data).slice(0, 200)}` } });
        this.wake?.();
        return;
      }
      this.inbox.push(frame);
      this.wake?.();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.wake?.();
    });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
    await this.waitFor(() => this.inbox.some((frame) => frame.type === 'ready'), 'ready');
    this.inbox = [];
  }

  private async waitFor(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (!done()) {
      if (this.closeCode !== undefined) throw new Error(`the socket closed (${this.closeCode}) while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${ANSWER_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private send(frame: FuzzFrame): void {
    this.socket.send(frame.data, { binary: frame.binary });
    this.framesSent += 1;
  }

  /**
   * Sends `frames`, then a marker ping, and checks every answer up to the marker's pong: one
   * answer per frame but a valid ack, of the expected kind, none `internal`, and the answers to
   * valid frames in the frames' order. A frame meant to close the socket is sent after the
   * frames before it were answered; the socket reconnects and the rest follow. Throws naming the
   * first discrepancy.
   */
  async run(frames: FuzzFrame[]): Promise<void> {
    let rest = frames;
    while (rest.length > 0) {
      const expectations = rest.map(expectationOf);
      const closing = expectations.findIndex((expectation) => expectation.kind === 'close');
      const before = closing >= 0 ? rest.slice(0, closing) : rest;
      await this.runOpen(before, expectations.slice(0, before.length));
      if (closing < 0) return;
      await this.runClosing(rest[closing]!, expectations[closing] as Extract<Expectation, { kind: 'close' }>);
      rest = rest.slice(closing + 1);
    }
  }

  private async runOpen(frames: FuzzFrame[], expectations: Expectation[]): Promise<void> {
    this.inbox = [];
    frames.forEach((frame) => this.send(frame));
    const marker = `marker-${this.markers++}`;
    this.socket.send(JSON.stringify({ type: 'ping', requestId: marker }));
    await this.waitFor(() => this.inbox.some((frame) => frame.type === 'pong' && frame.requestId === marker), `the pong to ${marker}`);
    const answers = this.inbox.filter((frame) => frame.type === 'error' || frame.type === 'pong' || frame.type === 'send_result');
    this.inbox = [];
    const fresh = new Set<string>();
    for (const expectation of expectations) {
      if (expectation.kind !== 'send_result') continue;
      if (!this.usedKeys.has(expectation.idempotencyKey)) fresh.add(expectation.requestId);
      this.usedKeys.add(expectation.idempotencyKey);
    }
    checkAnswers(expectations, answers.slice(0, -1), this.accounts, fresh);
  }

  private async runClosing(frame: FuzzFrame, expectation: Extract<Expectation, { kind: 'close' }>): Promise<void> {
    this.send(frame);
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (this.closeCode === undefined && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.wake = undefined;
    if (this.closeCode !== expectation.closeCode) {
      throw new Error(`${frame.label}: expected close ${expectation.closeCode}, got ${this.closeCode ?? 'no close'}`);
    }
    const internal = this.inbox.find((answer) => answer.type === 'error' && answer.error.code === 'internal');
    if (internal) throw new Error(`${frame.label}: ${JSON.stringify(internal)}`);
    this.reconnects += 1;
    await this.connect();
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close(1000, 'fuzz done');
    await closed;
  }
}

function describeAnswer(answer: ServerFrame): string {
  return JSON.stringify(answer).slice(0, 300);
}

/**
 * The oracle: `answers` (up to the marker) against what each frame should have caused. A send
 * to an account not in `accounts` must fail, if its idempotency key is new (request ids in
 * `fresh`); a repeated key gets the first send's answer, by the send frame's contract.
 */
export function checkAnswers(expectations: Expectation[], answers: ServerFrame[], accounts: ReadonlySet<string>, fresh: ReadonlySet<string>): void {
  const internal = answers.find(
    (answer) => (answer.type === 'error' && answer.error.code === 'internal') || (answer.type === 'send_result' && !answer.ok && answer.error.code === 'internal'),
  );
  if (internal) throw new Error(`an internal error: ${describeAnswer(internal)}`);
  const answered = expectations.filter((expectation) => expectation.kind !== 'silent');
  if (answers.length !== answered.length) {
    throw new Error(`expected ${answered.length} answers (${answered.map((expectation) => expectation.kind).join(',')}), got ${answers.length}: ${answers.map(describeAnswer).join(' | ')}`);
  }
  const expectedErrors = answered.filter((expectation) => expectation.kind === 'error').map((expectation) => expectation.codes.join('|')).sort();
  const errors = answers.filter((answer) => answer.type === 'error').map((answer) => (answer.type === 'error' ? answer.error.code : '')).sort();
  if (JSON.stringify(expectedErrors) !== JSON.stringify(errors)) throw new Error(`expected errors ${expectedErrors.join(',')}, got ${errors.join(',')}`);
  // Answers to valid frames keep the frames' order.
  const expectedOrder = answered.flatMap((expectation) =>
    expectation.kind === 'pong' ? [`pong:${expectation.requestId ?? ''}`] : expectation.kind === 'send_result' ? [`send_result:${expectation.requestId}`] : [],
  );
  const order = answers.flatMap((answer) =>
    answer.type === 'pong' ? [`pong:${answer.requestId ?? ''}`] : answer.type === 'send_result' ? [`send_result:${answer.requestId}`] : [],
  );
  if (JSON.stringify(expectedOrder) !== JSON.stringify(order)) throw new Error(`answers out of order: expected ${expectedOrder.join(',')}, got ${order.join(',')}`);
  // The answers are in the sends' order.
  const sends = answered.filter((expectation) => expectation.kind === 'send_result');
  const results = answers.filter((answer) => answer.type === 'send_result');
  sends.forEach((send, index) => {
    const result = results[index];
    if (!accounts.has(send.to) && fresh.has(send.requestId) && result?.ok !== false) throw new Error(`a send to the nonexistent account ${send.to} was answered ${describeAnswer(result!)}`);
  });
}
