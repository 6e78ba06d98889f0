/**
 * libsignal wants `Uint8Array<ArrayBuffer>`; Node's Buffer may sit on a shared pool. These copy
 * into plain, owned bytes at the edges.
 */
export type Bytes = Uint8Array<ArrayBuffer>;

export const bytesFromBase64 = (text: string): Bytes => new Uint8Array(Buffer.from(text, 'base64'));

export const bytesToBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export const ownedBytes = (bytes: Uint8Array): Bytes => new Uint8Array(bytes);

export const utf8 = (text: string): Bytes => ownedBytes(Buffer.from(text, 'utf8'));
