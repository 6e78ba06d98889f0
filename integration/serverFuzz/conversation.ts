import type { Envelope, ServerFrame } from '../../src-shared/protocol/frames';
import type { TestDevice } from '../../src-server/testing/httpClient';
import { TestSocket } from '../../src-server/testing/testSocket';

/**
 * Alice sends bob numbered messages, one after another, for as long as it runs; bob acks every
 * envelope frame as it arrives and keeps what alice sent, in arrival order.
 */
export class Conversation {
  /** Numbers alice's sends were accepted for, in order. */
  readonly sent: number[] = [];
  /** Numbers bob received from alice, in arrival order. */
  readonly received: number[] = [];
  /** Envelopes bob received from anyone else (the fuzzers may send him valid ones). */
  fromOthers = 0;
  private running = true;
  private loop: Promise<void> | undefined;
  private failure: Error | undefined;

  private constructor(
    readonly alice: { device: TestDevice; socket: TestSocket },
    readonly bob: { device: TestDevice; socket: TestSocket },
  ) {}

  static async start(baseUrl: string, alice: TestDevice, bob: TestDevice): Promise<Conversation> {
    const aliceSocket = (await TestSocket.ready(baseUrl, alice.authorization)).socket;
    const bobSocket = (await TestSocket.ready(baseUrl, bob.authorization)).socket;
    const conversation = new Conversation({ device: alice, socket: aliceSocket }, { device: bob, socket: bobSocket });
    bobSocket.socket.on('message', (data) => conversation.bobReceived(JSON.parse(String(data)) as ServerFrame));
    conversation.loop = conversation.talk().catch((error: unknown) => {
      conversation.failure = error instanceof Error ? error : new Error(String(error));
    });
    return conversation;
  }

  private bobReceived(frame: ServerFrame): void {
    if (frame.type !== 'envelopes') return;
    // Read it off the TestSocket too (it queues every frame nobody asked for), keeping it small.
    void this.bob.socket.next('envelopes');
    this.bob.socket.received.length = 0;
    const stored = frame.items.filter((item: Envelope) => !item.onlineOnly);
    for (const item of frame.items) {
      if (item.sourceAccountId === this.alice.device.accountId) this.received.push(Number(Buffer.from(item.body, 'base64').toString('utf8').replace('message ', '')));
      else this.fromOthers += 1;
    }
    if (stored.length > 0) this.bob.socket.send({ type: 'ack', envelopeIds: stored.map((item) => item.id) });
  }

  private async talk(): Promise<void> {
    const bob = this.bob.device;
    for (let number = 0; this.running; number++) {
      this.alice.socket.send({
        type: 'send',
        requestId: `m${number}`,
        idempotencyKey: `alice-${number}`,
        to: bob.accountId,
        timestamp: Date.now(),
        envelopes: [
          { accountId: bob.accountId, deviceId: bob.deviceId, registrationId: bob.keys.registrationId, ciphertextType: 2, body: Buffer.from(`message ${number}`).toString('base64') },
        ],
      });
      const result = await this.alice.socket.next('send_result', 60_000);
      if (result.requestId !== `m${number}` || !result.ok) throw new Error(`alice's send ${number} failed: ${JSON.stringify(result)}`);
      this.sent.push(number);
      // Drop what alice's socket keeps of the frames it has read, so a long run does not grow it.
      this.alice.socket.received.length = 0;
    }
  }

  /** Stops alice after her current send; rejects if any send failed. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    if (this.failure) throw this.failure;
  }

  /** Resolves once bob has as many of alice's messages as she sent, or after `timeoutMs`. */
  async delivered(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < this.sent.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all([this.alice.socket.close(), this.bob.socket.close()]);
  }
}
