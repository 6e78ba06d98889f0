import { describe, expect, it } from 'vitest';
import { electronArguments } from './electronApp';

describe('electronArguments', () => {
  it('passes --insecure on to the Electron shell only when allowed', () => {
    const base = { entry: '/app/dist/electron/main.js', profileDir: '/work/project/.profiles/ada', serverUrl: 'http://chat.example:8787' };
    expect(electronArguments(base)).toEqual([base.entry, '--profile', base.profileDir, '--server', base.serverUrl]);
    expect(electronArguments({ ...base, allowInsecureTransport: false })).not.toContain('--insecure');
    expect(electronArguments({ ...base, allowInsecureTransport: true })).toEqual([
      base.entry,
      '--profile',
      base.profileDir,
      '--server',
      base.serverUrl,
      '--insecure',
    ]);
  });
});
