import type { SafeStorage } from 'electron';
import type { Keychain, VaultKeyProtection } from '../../core/host/openBridgeHost';

/** The part of Electron's safeStorage the keychain uses (tests pass a double). */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The host's Keychain over safeStorage (macOS Keychain, Windows DPAPI, the Secret Service or
 * KWallet on Linux). safeStorage seals strings, so the bytes travel as base64. `decrypt` throws
 * when the sealed bytes were not made by this user's keychain, or do not hold base64.
 */
export function keychainOf(safeStorage: SafeStorageLike): Keychain {
  return {
    encrypt: (plain) => new Uint8Array(safeStorage.encryptString(Buffer.from(plain).toString('base64'))),
    decrypt: (sealed) => {
      const text = safeStorage.decryptString(Buffer.from(sealed));
      if (!BASE64.test(text)) throw new Error('the keychain returned something that is not a sealed key');
      return new Uint8Array(Buffer.from(text, 'base64'));
    },
  };
}

/** Linux backends that are not a keyring: `basic_text` seals with a key built into Chromium, `unknown` means not ready. */
const NOT_A_KEYRING: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

export type KeyProtectionChoice = {
  protection: VaultKeyProtection;
  /** Why the password is used instead of the keychain; undefined when the keychain is used. */
  fallbackReason: string | undefined;
};

/**
 * How this profile's vault key is protected. The OS keychain when it truly is one; otherwise the
 * account password (as in the web shell: a registered profile then starts locked, and "Sign in"
 * unlocks it), since a key sealed with a key everyone has would be a key in the clear. Call it
 * after the app is ready (safeStorage answers only then).
 */
export function chooseKeyProtection(safeStorage: SafeStorageLike, platform: NodeJS.Platform): KeyProtectionChoice {
  if (!safeStorage.isEncryptionAvailable()) {
    return { protection: { kind: 'password' }, fallbackReason: 'the system keychain is not available' };
  }
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (NOT_A_KEYRING.has(backend)) {
      return {
        protection: { kind: 'password' },
        fallbackReason: `no keyring (GNOME Keyring, KWallet) was found: safeStorage would use "${backend}", a key built into Chromium`,
      };
    }
  }
  return { protection: { kind: 'keychain', keychain: keychainOf(safeStorage) }, fallbackReason: undefined };
}
