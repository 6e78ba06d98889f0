import { describe, expect, it } from 'vitest';
import { createJsonLinesLogger } from '../logger';
import type { BusSignal } from './bus';
import { createInProcessBus } from './inProcessBus';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createInProcessBus', () => {
  it('delivers signals to the subscribers of one device only, after the publisher returns', async () => {
    const bus = createInProcessBus(createJsonLinesLogger({ write: () => undefined }));
    const heard: Array<[string, BusSignal]> = [];
    bus.subscribe('a.1', (signal) => heard.push(['a.1', signal]));
    bus.subscribe('a.2', (signal) => heard.push(['a.2', signal]));
    bus.publish('a.1');
    bus.publish('a.2', { kind: 'prekeys_low' });
    expect(heard).toEqual([]);
    await settle();
    expect(heard).toEqual([
      ['a.1', { kind: 'mail' }],
      ['a.2', { kind: 'prekeys_low' }],
    ]);
  });

  it('stops delivering after unsubscribe and after close, and survives a throwing listener', async () => {
    const lines: string[] = [];
    const bus = createInProcessBus(createJsonLinesLogger({ write: (line) => lines.push(line) }));
    let calls = 0;
    bus.subscribe('a.1', () => {
      throw new Error('listener broke');
    });
    const unsubscribe = bus.subscribe('a.1', () => calls++);
    bus.publish('a.1');
    await settle();
    expect(calls).toBe(1);
    expect(lines.join('')).toContain('bus_listener_failed');
    unsubscribe();
    bus.publish('a.1');
    await settle();
    expect(calls).toBe(1);
    bus.subscribe('a.1', () => calls++);
    await bus.close();
    bus.publish('a.1');
    await settle();
    expect(calls).toBe(1);
  });
});
