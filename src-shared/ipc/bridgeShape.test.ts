import { describe, expect, it } from 'vitest';
import { BRIDGE_SERVICES } from './bridge';
import { BRIDGE_SHAPE } from './bridgeShape';

describe('BRIDGE_SHAPE', () => {
  it('names exactly the services, methods and events of BRIDGE_SERVICES', () => {
    const fromDescriptors = Object.fromEntries(
      Object.entries(BRIDGE_SERVICES).map(([service, descriptor]) => [
        service,
        { methods: Object.keys(descriptor.methods).sort(), events: [...descriptor.events].sort() },
      ]),
    );
    const fromShape = Object.fromEntries(
      Object.entries(BRIDGE_SHAPE).map(([service, shape]) => [service, { methods: [...shape.methods].sort(), events: [...shape.events].sort() }]),
    );
    expect(fromShape).toEqual(fromDescriptors);
  });
});
