import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { identifierSeal } from './identifierSeal';
import { loadServerSecrets, randomServerSecrets, SecretsError } from './serverSecrets';

const directories: string[] = [];
const temporary = () => {
  const directory = mkdtempSync(join(tmpdir(), 'parley-secrets-'));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('server secrets (H3)', () => {
  it('makes the keys once, readable by the owner only, and reads the same ones again', () => {
    const directory = join(temporary(), 'keys');
    const first = loadServerSecrets(directory, join(directory, '..', 'data'));
    const again = loadServerSecrets(directory);
    expect(again.lookupKey.equals(first.lookupKey)).toBe(true);
    expect(again.identifierKey.equals(first.identifierKey)).toBe(true);
    expect(first.lookupKey.equals(first.identifierKey)).toBe(false);
    expect(statSync(join(directory, 'lookup-hash.key')).mode & 0o777).toBe(0o600);
  });

  it('refuses a directory inside the data directory, and a damaged key file', () => {
    const data = temporary();
    expect(() => loadServerSecrets(join(data, 'secrets'), data)).toThrow(SecretsError);
    const directory = temporary();
    writeFileSync(join(directory, 'identifiers.key'), 'not hex');
    expect(() => loadServerSecrets(directory)).toThrow(/damaged/);
    expect(readFileSync(join(directory, 'identifiers.key'), 'utf8')).toBe('not hex');
  });

  it('hashes an identifier the same way each time under one key only, and seals it for one account', () => {
    const seal = identifierSeal(randomServerSecrets());
    const other = identifierSeal(randomServerSecrets());
    expect(seal.hash('phone', '+442079460958')).toBe(seal.hash('phone', '+442079460958'));
    expect(seal.hash('phone', '+442079460958')).not.toBe(other.hash('phone', '+442079460958'));
    const sealed = seal.seal('account-a', '+442079460958');
    expect(sealed).not.toContain('2079460958');
    expect(seal.open('account-a', sealed)).toBe('+442079460958');
    expect(() => seal.open('account-b', sealed)).toThrow();
    expect(() => other.open('account-a', sealed)).toThrow();
  });
});
