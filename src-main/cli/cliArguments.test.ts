import { describe, expect, it } from 'vitest';
import { parseCliArguments, UsageError } from './cliArguments';

describe('parseCliArguments', () => {
  it('reads start-fresh, which needs --server and starts over only with --yes', () => {
    expect(parseCliArguments(['--profile', 'p', '--server', 'http://127.0.0.1:8787', 'start-fresh', 'alice'])).toEqual({
      name: 'start-fresh',
      profile: 'p',
      server: 'http://127.0.0.1:8787',
      username: 'alice',
      deviceName: 'Parley CLI',
      confirmed: false,
      insecure: false,
    });
    expect(parseCliArguments(['--profile', 'p', '--server', 'http://127.0.0.1:8787', 'start-fresh', 'alice', '--yes'])).toMatchObject({ confirmed: true });
    expect(() => parseCliArguments(['--profile', 'p', 'start-fresh', 'alice'])).toThrow('start-fresh needs --server URL');
    expect(() => parseCliArguments(['--profile', 'p', '--server', 'http://127.0.0.1:8787', 'start-fresh'])).toThrow('start-fresh takes one USERNAME');
  });

  it('reads the three commands exactly as documented', () => {
    expect(parseCliArguments(['--profile', 'p', '--server', 'http://127.0.0.1:8787', 'register', 'alice'])).toEqual({
      name: 'register',
      profile: 'p',
      server: 'http://127.0.0.1:8787',
      username: 'alice',
      deviceName: 'Parley CLI',
      insecure: false,
    });
    expect(parseCliArguments(['--profile', 'p', 'send', 'bob', 'hello there'])).toEqual({
      name: 'send',
      profile: 'p',
      username: 'bob',
      text: 'hello there',
      timeoutSeconds: 30,
      insecure: false,
    });
    expect(parseCliArguments(['--profile', 'p', 'receive', '--json', '--timeout', '2.5'])).toEqual({
      name: 'receive',
      profile: 'p',
      json: true,
      receipts: false,
      timeoutSeconds: 2.5,
      insecure: false,
    });
  });

  it('reads devices and devices terminate DEVICE_ID, and refuses anything else after devices', () => {
    expect(parseCliArguments(['--profile', 'p', 'devices'])).toEqual({ name: 'devices', profile: 'p', json: false, insecure: false });
    expect(parseCliArguments(['--profile', 'p', 'devices', '--json'])).toEqual({ name: 'devices', profile: 'p', json: true, insecure: false });
    expect(parseCliArguments(['--profile', 'p', 'devices', 'terminate', '7'])).toEqual({
      name: 'terminate-device',
      profile: 'p',
      deviceId: 7,
      insecure: false,
    });
    for (const args of [['devices', 'terminate'], ['devices', 'terminate', '0'], ['devices', 'terminate', '128'], ['devices', 'terminate', '2x'], ['devices', 'list']]) {
      expect(() => parseCliArguments(['--profile', 'p', ...args]), args.join(' ')).toThrow(UsageError);
    }
  });

  it('reads link-request (with --server, and --name) and link CODE', () => {
    expect(parseCliArguments(['--profile', 'p', '--server', 'http://127.0.0.1:8787', 'link-request', '--name', 'Laptop'])).toEqual({
      name: 'link-request',
      profile: 'p',
      server: 'http://127.0.0.1:8787',
      deviceName: 'Laptop',
      insecure: false,
    });
    expect(parseCliArguments(['--profile', 'p', 'link', 'parley-link:abc.def'])).toEqual({ name: 'link', profile: 'p', code: 'parley-link:abc.def', insecure: false });
    expect(() => parseCliArguments(['--profile', 'p', 'link-request'])).toThrow(/--server/);
    expect(() => parseCliArguments(['--profile', 'p', '--server', 'http://127.0.0.1:1', 'link-request', '--name', '\u0007'])).toThrow(UsageError);
    expect(() => parseCliArguments(['--profile', 'p', 'link'])).toThrow(UsageError);
  });

  it('send --stdin takes the username only; the texts come from standard input', () => {
    expect(parseCliArguments(['--profile', 'p', 'send', 'bob', '--stdin', '--timeout', '120'])).toEqual({
      name: 'send',
      profile: 'p',
      username: 'bob',
      text: null,
      timeoutSeconds: 120,
      insecure: false,
    });
    expect(() => parseCliArguments(['--profile', 'p', 'send', 'bob', 'hi', '--stdin'])).toThrow('send --stdin takes USERNAME only');
  });

  it('takes text that looks like an option after --', () => {
    expect(parseCliArguments(['--profile', 'p', 'send', 'bob', '--', '-5 degrees'])).toMatchObject({ text: '-5 degrees' });
  });

  it.each([
    [['send', 'bob', 'hi'], '--profile DIR is required'],
    [['--profile', 'p', 'register', 'alice'], 'register needs --server URL'],
    [['--profile', 'p', '--server', 'ftp://x', 'register', 'alice'], '--server must be an http(s) URL'],
    [['--profile', 'p', 'send', 'bob'], 'send takes USERNAME and TEXT'],
    [['--profile', 'p', 'receive', '--timeout', 'soon'], '--timeout takes a number of seconds'],
    [['--profile', 'p', 'receive', '--timeout=-1'], '--timeout takes a number of seconds'],
    [['--profile', 'p', 'launch'], 'unknown command "launch"'],
    [['--profile', 'p', '--server', 'http://chat.example:8787', 'register', 'alice'], 'Start with --insecure'],
    [['--profile', 'p', '--server', 'http://10.0.0.2', 'register', 'alice'], 'refusing unencrypted http://10.0.0.2'],
    [['--profile', 'p', 'receive', '--jsonn'], "Unknown option '--jsonn'"],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseCliArguments(argv)).toThrow(UsageError);
    expect(() => parseCliArguments(argv)).toThrow(message);
  });

  it('takes http:// to another machine only with --insecure, and https:// or this machine without', () => {
    expect(parseCliArguments(['--profile', 'p', '--server', 'http://chat.example:8787', '--insecure', 'register', 'alice'])).toMatchObject({
      server: 'http://chat.example:8787',
      insecure: true,
    });
    expect(parseCliArguments(['--profile', 'p', '--server', 'https://chat.example', 'register', 'alice'])).toMatchObject({ insecure: false });
    expect(parseCliArguments(['--profile', 'p', '--server', 'http://localhost:8787', 'register', 'alice'])).toMatchObject({ insecure: false });
    expect(parseCliArguments(['--profile', 'p', '--insecure', 'receive'])).toMatchObject({ name: 'receive', insecure: true });
  });

  it('shows help when asked or when no command is given', () => {
    expect(parseCliArguments([])).toEqual({ name: 'help' });
    expect(parseCliArguments(['--help'])).toEqual({ name: 'help' });
  });
});
