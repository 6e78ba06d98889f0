/**
 * Vitest's jsdom environment puts jsdom's typed-array classes on globalThis, while Node's own
 * structuredClone (which fake-indexeddb stores through) and TextEncoder still make Node's: an
 * `instanceof Uint8Array` check then fails across the two realms, and the history store rightly
 * refuses such a record as "not sealed"; and fake-indexeddb, checking a binary index key (a page's
 * term filter) against jsdom's ArrayBuffer, silently leaves the record out of that index.
 * Chromium has one realm; after this import, so do the tests. Import it first in every jsdom test file.
 */
const NodeUint8Array = Object.getPrototypeOf(new TextEncoder().encode('')).constructor as Uint8ArrayConstructor;
if (globalThis.Uint8Array !== NodeUint8Array) globalThis.Uint8Array = NodeUint8Array;
const NodeArrayBuffer = Object.getPrototypeOf(new TextEncoder().encode('').buffer).constructor as ArrayBufferConstructor;
if (globalThis.ArrayBuffer !== NodeArrayBuffer) globalThis.ArrayBuffer = NodeArrayBuffer;
