import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics: counts and latencies only. No label ever carries an
 * identifier (account, device, address, username): labels are route templates, frame types,
 * status codes and error codes, each from a small fixed set.
 */
export type ServerMetrics = {
  readonly registry: Registry;
  readonly connectionsOpen: Gauge;
  readonly connectionsOpened: Counter;
  readonly framesReceived: Counter<'type'>;
  readonly envelopesStored: Counter;
  readonly envelopesDelivered: Counter;
  readonly refusals: Counter<'code'>;
  readonly httpRequestDuration: Histogram<'route' | 'method' | 'status'>;
  /** The text `/metrics` answers with. */
  render(): Promise<string>;
};

/**
 * One registry per server (never prom-client's global one), so tests that build many servers in
 * one process keep their counts apart. `queueDepth` is read when Prometheus scrapes.
 */
export function createServerMetrics(options: { queueDepth: () => Promise<number> }): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  const metrics: ServerMetrics = {
    registry,
    connectionsOpen: new Gauge({ name: 'parley_websocket_connections', help: 'Device sockets open now', registers }),
    connectionsOpened: new Counter({ name: 'parley_websocket_connections_opened_total', help: 'Device sockets opened', registers }),
    framesReceived: new Counter({
      name: 'parley_websocket_frames_received_total',
      help: 'Frames received from devices, by frame type (invalid for frames that failed validation)',
      labelNames: ['type'],
      registers,
    }),
    envelopesStored: new Counter({ name: 'parley_envelopes_stored_total', help: 'Envelopes committed to device queues', registers }),
    envelopesDelivered: new Counter({ name: 'parley_envelopes_delivered_total', help: 'Envelopes pushed to connected devices', registers }),
    refusals: new Counter({
      name: 'parley_refusals_total',
      help: 'Requests and frames refused by an abuse limit, by error code',
      labelNames: ['code'],
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'parley_http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    render: () => registry.metrics(),
  };
  new Gauge({
    name: 'parley_queued_envelopes',
    help: 'Envelopes waiting in device queues',
    registers,
    async collect() {
      this.set(await options.queueDepth());
    },
  });
  return metrics;
}
