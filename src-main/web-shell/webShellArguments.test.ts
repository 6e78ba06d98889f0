import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWebShellArguments, WebShellUsageError } from './webShellArguments';

describe('web shell arguments', () => {
  it('takes a profile, a server, and optionally a port, --no-open and a renderer folder', () => {
    expect(parseWebShellArguments(['--profile', 'p', '--server', 'http://127.0.0.1:7180'])).toEqual({
      help: false,
      profileDir: resolve('p'),
      serverUrl: 'http://127.0.0.1:7180',
      port: undefined,
      open: true,
      rendererDir: undefined,
      insecure: false,
    });
    expect(
      parseWebShellArguments(['--profile', '/tmp/p', '--server', 'https://chat.example', '--port', '24000', '--no-open', '--renderer', 'r']),
    ).toMatchObject({ port: 24_000, open: false, rendererDir: resolve('r') });
    expect(parseWebShellArguments(['--profile', 'p', '--server', 'http://chat.example', '--insecure'])).toMatchObject({ insecure: true });
    expect(parseWebShellArguments(['-h'])).toEqual({ help: true });
  });

  it.each([
    [['--server', 'http://x'], '--profile'],
    [['--profile', 'p'], '--server'],
    [['--profile', 'p', '--server', 'ftp://x'], 'http(s) URL'],
    [['--profile', 'p', '--server', 'http://x', '--port', '0'], '--port'],
    [['--profile', 'p', '--server', 'http://x', '--port', '65536'], '--port'],
    [['--profile', 'p', '--server', 'http://x', '--port', '80.5'], '--port'],
    [['--profile', 'p', '--server', 'http://x', 'extra'], 'extra'],
    [['--profile', 'p', '--server', 'http://x', '--open'], '--open'],
  ])('refuses %j, naming %s', (argv, named) => {
    expect(() => parseWebShellArguments(argv)).toThrow(WebShellUsageError);
    expect(() => parseWebShellArguments(argv)).toThrow(named);
  });
});
