/**
 * Pads plaintext before encryption so a ciphertext's length says only which 160-byte class the
 * message falls in (Signal's scheme): the content, one 0x80 byte, then zeros. Larger things
 * (an avatar) pass a larger class.
 */
const BLOCK = 160;

export function pad(content: Uint8Array, block = BLOCK): Uint8Array<ArrayBuffer> {
  const padded = new Uint8Array(Math.ceil((content.length + 1) / block) * block);
  padded.set(content);
  padded[content.length] = 0x80;
  return padded;
}

export function unpad(padded: Uint8Array): Uint8Array {
  for (let index = padded.length - 1; index >= 0; index -= 1) {
    const byte = padded[index];
    if (byte === 0x80) return padded.subarray(0, index);
    if (byte !== 0) break;
  }
  throw new Error('invalid padding');
}
