import { describe, expect, it } from 'vitest';
import { BRIDGE_SERVICES, type ServiceName } from './bridge';
import { buildParleyBridge, createEventRouter, type BridgeTransport, type EventListener } from './bridgeClient';
import { failure, ok, type Result } from './result';

type Call = { service: ServiceName; method: string; argument: unknown };

function recordingTransport() {
  const calls: Call[] = [];
  const subscriptions: { service: ServiceName; event: string; listener: EventListener }[] = [];
  let unsubscribed = 0;
  const transport: BridgeTransport = {
    call: (service, method, argument) => {
      calls.push({ service, method, argument });
      return Promise.resolve(ok({ echoed: `${service}.${method}` }) as Result<unknown>);
    },
    subscribe: (service, event, listener) => {
      subscriptions.push({ service, event, listener });
      return () => {
        unsubscribed += 1;
      };
    },
  };
  return { transport, calls, subscriptions, unsubscribed: () => unsubscribed };
}

describe('buildParleyBridge', () => {
  it('has exactly the services, methods and events of BRIDGE_SERVICES', () => {
    const bridge = buildParleyBridge(recordingTransport().transport) as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(BRIDGE_SERVICES).sort());
    for (const [service, descriptor] of Object.entries(BRIDGE_SERVICES)) {
      const expected = [...Object.keys(descriptor.methods), ...descriptor.events].sort();
      expect(Object.keys(bridge[service]!).sort()).toEqual(expected);
      for (const name of expected) expect(typeof bridge[service]![name]).toBe('function');
    }
  });

  it('forwards every method call with its service, method and argument, and returns the transport Result', async () => {
    const { transport, calls } = recordingTransport();
    const bridge = buildParleyBridge(transport) as unknown as Record<string, Record<string, (argument: unknown) => Promise<unknown>>>;
    for (const [service, descriptor] of Object.entries(BRIDGE_SERVICES)) {
      for (const method of Object.keys(descriptor.methods)) {
        const argument = { marker: `${service}/${method}` };
        await expect(bridge[service]![method]!(argument)).resolves.toEqual(ok({ echoed: `${service}.${method}` }));
        expect(calls.at(-1)).toEqual({ service, method, argument });
      }
    }
  });

  it('passes a failure Result through unchanged', async () => {
    const bridge = buildParleyBridge({
      call: () => Promise.resolve(failure('not_signed_in', 'sign in first')),
      subscribe: () => () => undefined,
    });
    await expect(bridge.account.historyKey({})).resolves.toEqual(failure('not_signed_in', 'sign in first'));
  });

  it('subscribes each event by name and hands back the transport unsubscribe', () => {
    const { transport, subscriptions, unsubscribed } = recordingTransport();
    const bridge = buildParleyBridge(transport);
    const seen: unknown[] = [];
    const stop = bridge.account.onDidChangeState((state) => seen.push(state));
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]!.service).toBe('account');
    expect(subscriptions[0]!.event).toBe('onDidChangeState');
    subscriptions[0]!.listener({ status: 'signed_out' });
    expect(seen).toEqual([{ status: 'signed_out' }]);
    stop();
    expect(unsubscribed()).toBe(1);
  });

  it('refuses a listener that is not a function before subscribing anything', () => {
    const { transport, subscriptions } = recordingTransport();
    const bridge = buildParleyBridge(transport) as unknown as { account: { onDidChangeState(listener: unknown): unknown } };
    expect(() => bridge.account.onDidChangeState('not a function')).toThrow(TypeError);
    expect(subscriptions).toHaveLength(0);
  });

  it('is frozen, service objects included', () => {
    const bridge = buildParleyBridge(recordingTransport().transport);
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const service of Object.keys(BRIDGE_SERVICES) as ServiceName[]) expect(Object.isFrozen(bridge[service])).toBe(true);
  });
});

describe('createEventRouter', () => {
  it('delivers an event only to the listeners of that service and event, in subscription order', () => {
    const router = createEventRouter((error) => {
      throw error;
    });
    const seen: string[] = [];
    router.subscribe('messaging', 'onDidReceive', (payload) => seen.push(`first:${String(payload)}`));
    router.subscribe('messaging', 'onDidReceive', (payload) => seen.push(`second:${String(payload)}`));
    router.subscribe('account', 'onDidReceive', () => seen.push('wrong service'));
    router.subscribe('messaging', 'onDidChangeMessageStatus', () => seen.push('wrong event'));
    router.dispatch('messaging', 'onDidReceive', 'x');
    expect(seen).toEqual(['first:x', 'second:x']);
  });

  it('keeps two subscriptions of the same listener apart, and unsubscribing twice is harmless', () => {
    const router = createEventRouter(() => undefined);
    let count = 0;
    const listener = () => {
      count += 1;
    };
    const stopFirst = router.subscribe('account', 'onDidChangeState', listener);
    router.subscribe('account', 'onDidChangeState', listener);
    stopFirst();
    stopFirst();
    router.dispatch('account', 'onDidChangeState', null);
    expect(count).toBe(1);
  });

  it('stops delivering after unsubscribe, also when the last listener left and a new one came', () => {
    const router = createEventRouter(() => undefined);
    const seen: string[] = [];
    const stop = router.subscribe('account', 'onDidChangeState', () => seen.push('old'));
    stop();
    router.subscribe('account', 'onDidChangeState', () => seen.push('new'));
    stop();
    router.dispatch('account', 'onDidChangeState', null);
    expect(seen).toEqual(['new']);
  });

  it('reports a throwing listener and still calls the others', () => {
    const errors: unknown[] = [];
    const router = createEventRouter((error) => errors.push(error));
    const seen: string[] = [];
    const boom = new Error('listener failed');
    router.subscribe('account', 'onDidChangeState', () => {
      throw boom;
    });
    router.subscribe('account', 'onDidChangeState', () => seen.push('after'));
    router.dispatch('account', 'onDidChangeState', null);
    expect(errors).toEqual([boom]);
    expect(seen).toEqual(['after']);
  });

  it('does not mix up names that would collide when joined with a dot', () => {
    const router = createEventRouter(() => undefined);
    const seen: string[] = [];
    router.subscribe('a.b', 'c', () => seen.push('a.b + c'));
    router.dispatch('a', 'b.c', null);
    expect(seen).toEqual([]);
  });
});
