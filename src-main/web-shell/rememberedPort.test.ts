import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { candidatePort, PORT_FILE, PortFileError, readRememberedPort, rememberPort } from './rememberedPort';

describe('the remembered port', () => {
  const made: string[] = [];
  const folder = () => {
    const directory = mkdtempSync(join(tmpdir(), 'parley-port-'));
    made.push(directory);
    return directory;
  };
  afterEach(() => {
    for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('is absent for a new profile, and read back once remembered (creating a private profile folder)', () => {
    const profile = join(folder(), 'alice');
    expect(readRememberedPort(profile)).toBeUndefined();
    rememberPort(profile, 23_456);
    expect(readRememberedPort(profile)).toBe(23_456);
    expect(statSync(profile).mode & 0o777).toBe(0o700);
    expect(statSync(join(profile, PORT_FILE)).mode & 0o777).toBe(0o600);
    rememberPort(profile, 23_457);
    expect(JSON.parse(readFileSync(join(profile, PORT_FILE), 'utf8'))).toEqual({ port: 23_457 });
  });

  it.each(['not json', '{"port":0}', '{"port":"80"}', '{"port":70000}', '[]'])('refuses a port file holding %s, naming it', (contents) => {
    const profile = folder();
    writeFileSync(join(profile, PORT_FILE), contents);
    expect(() => readRememberedPort(profile)).toThrow(PortFileError);
    expect(() => readRememberedPort(profile)).toThrow(join(profile, PORT_FILE));
  });

  it('picks first ports below the ephemeral range', () => {
    expect(candidatePort(() => 0)).toBe(20_000);
    expect(candidatePort(() => 0.999_999)).toBe(31_999);
  });
});
