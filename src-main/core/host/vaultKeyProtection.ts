/**
 * Seals small secrets with a key the operating system keeps for this user (Electron's
 * `safeStorage`). `decrypt` throws when the sealed bytes were not made by this keychain.
 */
export type Keychain = {
  encrypt(plain: Uint8Array): Uint8Array;
  decrypt(sealed: Uint8Array): Uint8Array;
};

/**
 * Where a profile's vault key comes from. `password`: wrapped with the account password (the web
 * shell, which has no OS keychain), so a registered profile starts `locked` until
 * `account.unlock`. `keychain`: sealed by the OS keychain, so a registered profile opens straight
 * to `signed_in`.
 */
export type VaultKeyProtection = { kind: 'password' } | { kind: 'keychain'; keychain: Keychain };
