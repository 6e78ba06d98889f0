import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ElectronUsageError, namedProfileDir, parseElectronArguments } from './electronArguments';

const places = { appDataDir: '/home/ada/.config', workingDir: '/work/project' };
const SERVER = 'http://127.0.0.1:7180';

describe('parseElectronArguments', () => {
  it('opens the default profile under the app-data folder, with the server from PARLEY_SERVER_URL', () => {
    expect(parseElectronArguments([], { PARLEY_SERVER_URL: SERVER }, places)).toEqual({
      profileDir: join('/home/ada/.config', 'Parley', 'profiles', 'default'),
      serverUrl: SERVER,
      insecure: false,
      ignored: [],
    });
  });

  it('refuses an http:// server on another machine without --insecure, naming the flag and where the URL came from', () => {
    expect(() => parseElectronArguments(['--server', 'http://chat.example:8787'], {}, places)).toThrow(ElectronUsageError);
    expect(() => parseElectronArguments(['--server', 'http://chat.example:8787'], {}, places)).toThrow(
      /^--server: refusing unencrypted http:\/\/chat\.example:8787.*--insecure/,
    );
    expect(() => parseElectronArguments([], { PARLEY_SERVER_URL: 'http://10.0.0.2' }, places)).toThrow(/^PARLEY_SERVER_URL: .*--insecure/);
    expect(parseElectronArguments(['--server', 'http://chat.example:8787', '--insecure'], {}, places)).toMatchObject({
      serverUrl: 'http://chat.example:8787',
      insecure: true,
      ignored: [],
    });
    expect(parseElectronArguments(['--insecure'], { PARLEY_SERVER_URL: 'https://chat.example' }, places).insecure).toBe(true);
    expect(parseElectronArguments(['--server', 'https://chat.example'], {}, places).insecure).toBe(false);
    expect(parseElectronArguments(['--server', 'http://localhost:7180'], {}, places).insecure).toBe(false);
  });

  it('takes a profile name and a server, in both spellings, and --server wins over the environment', () => {
    const parsed = parseElectronArguments(['--profile', 'bob', `--server=https://chat.example.org`], { PARLEY_SERVER_URL: SERVER }, places);
    expect(parsed.profileDir).toBe(namedProfileDir(places.appDataDir, 'bob'));
    expect(parsed.serverUrl).toBe('https://chat.example.org');
    expect(parseElectronArguments(['--profile=carol'], { PARLEY_SERVER_URL: SERVER }, places).profileDir).toBe(
      namedProfileDir(places.appDataDir, 'carol'),
    );
  });

  it('takes a folder path for --profile, as npm start passes it, resolved from the working folder', () => {
    expect(parseElectronArguments(['--profile', '/tmp/profiles/alice'], { PARLEY_SERVER_URL: SERVER }, places).profileDir).toBe('/tmp/profiles/alice');
    expect(parseElectronArguments(['--profile', '.profiles/alice'], { PARLEY_SERVER_URL: SERVER }, places).profileDir).toBe(
      '/work/project/.profiles/alice',
    );
  });

  it('refuses a profile name that could leave the profiles folder or is not one folder name', () => {
    for (const name of ['..', '.hidden', 'a b', 'x'.repeat(65), 'é']) {
      expect(() => parseElectronArguments(['--profile', name], { PARLEY_SERVER_URL: SERVER }, places)).toThrow(ElectronUsageError);
    }
  });

  it('needs a server, and an http(s) one, naming where the bad value came from', () => {
    expect(() => parseElectronArguments([], {}, places)).toThrow(/PARLEY_SERVER_URL/);
    expect(() => parseElectronArguments([], { PARLEY_SERVER_URL: 'ftp://x' }, places)).toThrow(/PARLEY_SERVER_URL must be an http\(s\) URL/);
    expect(() => parseElectronArguments(['--server', 'javascript:alert(1)'], {}, places)).toThrow(/--server must be an http\(s\) URL/);
  });

  it('refuses an option without a value, an empty value, or one given twice', () => {
    const environment = { PARLEY_SERVER_URL: SERVER };
    expect(() => parseElectronArguments(['--profile'], environment, places)).toThrow(/--profile needs a value/);
    expect(() => parseElectronArguments(['--profile', '--server', SERVER], environment, places)).toThrow(/--profile needs a value/);
    expect(() => parseElectronArguments(['--profile='], environment, places)).toThrow(/--profile needs a value/);
    expect(() => parseElectronArguments(['--profile', 'a', '--profile', 'b'], environment, places)).toThrow(/given twice/);
  });

  it("passes over Chromium's and the OS's own switches, and reports them", () => {
    const parsed = parseElectronArguments(['--no-sandbox', '-psn_0_12345', '--profile', 'bob', '--enable-logging'], { PARLEY_SERVER_URL: SERVER }, places);
    expect(parsed.profileDir).toBe(namedProfileDir(places.appDataDir, 'bob'));
    expect(parsed.ignored).toEqual(['--no-sandbox', '-psn_0_12345', '--enable-logging']);
  });
});
