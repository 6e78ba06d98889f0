import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chooseKeyProtection, keychainOf, type SafeStorageLike } from './keychain';

type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>;

/** A safeStorage double that really encrypts (AES-GCM under its own key), so a foreign keychain cannot open its seals. */
class FakeSafeStorage implements SafeStorageLike {
  readonly plaintexts: string[] = [];
  private readonly key = randomBytes(32);
  constructor(
    private readonly available = true,
    private readonly backend: Backend = 'gnome_libsecret',
  ) {}
  isEncryptionAvailable() {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  encryptString(plainText: string) {
    this.plaintexts.push(plainText);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), body]);
  }
  decryptString(encrypted: Buffer) {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
  }
}

describe('keychainOf', () => {
  it('seals and unseals a 32-byte key, handing safeStorage base64 rather than raw bytes', () => {
    const safeStorage = new FakeSafeStorage();
    const keychain = keychainOf(safeStorage);
    const key = new Uint8Array(randomBytes(32));
    const sealed = keychain.encrypt(key);
    expect(sealed).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(sealed).includes(Buffer.from(key))).toBe(false);
    expect(keychain.decrypt(sealed)).toEqual(key);
    expect(safeStorage.plaintexts).toEqual([Buffer.from(key).toString('base64')]);
  });

  it("throws on another keychain's seal, on tampered bytes, and on a seal that holds no base64", () => {
    const ours = keychainOf(new FakeSafeStorage());
    const theirs = keychainOf(new FakeSafeStorage());
    const sealed = theirs.encrypt(new Uint8Array(32));
    expect(() => ours.decrypt(sealed)).toThrow();
    const tampered = ours.encrypt(new Uint8Array(32));
    tampered[tampered.length - 1]! ^= 1;
    expect(() => ours.decrypt(tampered)).toThrow();
    const safeStorage = new FakeSafeStorage();
    const notAKey = new Uint8Array(safeStorage.encryptString('not base64!'));
    expect(() => keychainOf(safeStorage).decrypt(notAKey)).toThrow(/not a sealed key/);
  });
});

describe('chooseKeyProtection', () => {
  it('uses the keychain where safeStorage has a real one', () => {
    for (const [platform, backend] of [
      ['linux', 'gnome_libsecret'],
      ['linux', 'kwallet6'],
      ['darwin', 'unknown'],
      ['win32', 'unknown'],
    ] as const) {
      const choice = chooseKeyProtection(new FakeSafeStorage(true, backend), platform);
      expect(choice.protection.kind, `${platform}/${backend}`).toBe('keychain');
      expect(choice.fallbackReason).toBeUndefined();
    }
  });

  it('falls back to the password when encryption is unavailable, saying why', () => {
    const choice = chooseKeyProtection(new FakeSafeStorage(false), 'darwin');
    expect(choice.protection).toEqual({ kind: 'password' });
    expect(choice.fallbackReason).toMatch(/not available/);
  });

  it("falls back to the password on Linux without a keyring, where safeStorage's key is built into Chromium", () => {
    for (const backend of ['basic_text', 'unknown'] as const) {
      const choice = chooseKeyProtection(new FakeSafeStorage(true, backend), 'linux');
      expect(choice.protection).toEqual({ kind: 'password' });
      expect(choice.fallbackReason).toContain(backend);
    }
  });

  it('seals with the chosen keychain', () => {
    const choice = chooseKeyProtection(new FakeSafeStorage(), 'linux');
    if (choice.protection.kind !== 'keychain') throw new Error('expected the keychain');
    const key = new Uint8Array(randomBytes(32));
    expect(choice.protection.keychain.decrypt(choice.protection.keychain.encrypt(key))).toEqual(key);
  });
});
