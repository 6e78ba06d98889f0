import { afterEach, beforeEach } from 'vitest';

/**
 * jsdom lays nothing out, so every element is 0×0 and a virtual list would think it has no room.
 * This gives scroll containers a size (and rows none), so the whole short list renders as it
 * would on a tall screen. Call at the top of a test file.
 */
export function installFakeLayout(viewport = { width: 900, height: 700 }): void {
  const originals: Array<[string, PropertyDescriptor | undefined]> = [];
  beforeEach(() => {
    for (const [property, value] of [
      ['offsetHeight', viewport.height],
      ['offsetWidth', viewport.width],
      ['clientHeight', viewport.height],
      ['clientWidth', viewport.width],
    ] as const) {
      originals.push([property, Object.getOwnPropertyDescriptor(HTMLElement.prototype, property)]);
      Object.defineProperty(HTMLElement.prototype, property, { configurable: true, get: () => value });
    }
  });
  afterEach(() => {
    for (const [property, descriptor] of originals.splice(0)) {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, property, descriptor);
      else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[property];
    }
  });
}
