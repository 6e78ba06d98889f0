import { describe, expect, it } from 'vitest';
import { CorruptKeyFileError, KeychainRefusedError } from '../core/host/profileKeyFile';
import { KeychainProfileError } from '../core/host/profileSession';
import { VaultInUseError } from '../core/vault/vault';
import { ElectronUsageError } from './electronArguments';
import { describeStartupError, isNativeModuleMismatch } from './startupErrors';

describe('describeStartupError', () => {
  it('shows a usage mistake with the usage, exit code 2', () => {
    const problem = describeStartupError(new ElectronUsageError('no server: pass --server URL'));
    expect(problem.exitCode).toBe(2);
    expect(problem.message).toContain('no server');
    expect(problem.message).toContain('usage: parley');
  });

  it('explains a profile held by another process', () => {
    expect(describeStartupError(new VaultInUseError()).message).toMatch(/open in another Parley process/);
  });

  it('explains a keychain profile opened without the keychain, with the reason', () => {
    const problem = describeStartupError(new KeychainProfileError(), 'no keyring was found');
    expect(problem.message).toContain('sealed by the system keychain');
    expect(problem.message).toContain('no keyring was found');
  });

  it("passes on the host's own words for a refused seal or a damaged key file", () => {
    expect(describeStartupError(new KeychainRefusedError(new Error('x'))).message).toMatch(/^The system keychain cannot open/);
    expect(describeStartupError(new CorruptKeyFileError('/p/vault-key.json', new Error('x'))).message).toContain('/p/vault-key.json');
  });

  it('tells how to rebuild a native module built for the other runtime', () => {
    const error = Object.assign(new Error('The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115.'), {
      code: 'ERR_DLOPEN_FAILED',
    });
    expect(isNativeModuleMismatch(error)).toBe(true);
    expect(describeStartupError(error).message).toContain('@electron/rebuild');
    expect(isNativeModuleMismatch(new Error('ENOENT'))).toBe(false);
  });

  it('still says something for anything else', () => {
    expect(describeStartupError(new Error('disk full')).message).toContain('disk full');
    expect(describeStartupError('a string').message).toContain('a string');
  });
});
