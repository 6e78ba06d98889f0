import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkServerTransport, InsecureTransportError, isLoopbackHost } from './serverTransport';

const octet = fc.integer({ min: 0, max: 255 });
const loopbackIPv4 = fc.tuple(octet, octet, octet).map(([b, c, d]) => `127.${b}.${c}.${d}`);
const otherIPv4 = fc
  .tuple(octet.filter((a) => a !== 127), octet, octet, octet)
  .map((parts) => parts.join('.'));
const otherIPv6 = fc.ipV6().filter((address) => new URL(`http://[${address}]/`).hostname !== '[::1]');
const domain = fc.domain().filter((name) => name !== 'localhost');
const port = fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined });
const withPort = (host: string, number: number | undefined) => (number === undefined ? host : `${host}:${number}`);

describe('the transport rule', () => {
  it('lets http:// and ws:// reach this machine: 127.0.0.0/8, ::1 and localhost, however they are written', () => {
    fc.assert(
      fc.property(fc.oneof(loopbackIPv4, fc.constantFrom('localhost', 'LocalHost', '[::1]', '[0:0:0:0:0:0:0:1]', '127.1', '0x7f.1', '2130706433')), fc.constantFrom('http', 'ws'), port, (host, scheme, number) => {
        expect(() => checkServerTransport(`${scheme}://${withPort(host, number)}/`)).not.toThrow();
      }),
    );
  });

  it('refuses http:// and ws:// to any other host, naming --insecure, and allows it with allowInsecureTransport', () => {
    fc.assert(
      fc.property(fc.oneof(otherIPv4, otherIPv6.map((address) => `[${address}]`), domain), fc.constantFrom('http', 'ws'), port, (host, scheme, number) => {
        const url = `${scheme}://${withPort(host, number)}/`;
        expect(() => checkServerTransport(url)).toThrow(InsecureTransportError);
        expect(() => checkServerTransport(url)).toThrow(/--insecure/);
        expect(() => checkServerTransport(url, { allowInsecureTransport: false })).toThrow(InsecureTransportError);
        expect(() => checkServerTransport(url, { allowInsecureTransport: true })).not.toThrow();
      }),
    );
  });

  it('takes https:// and wss:// to any host', () => {
    fc.assert(
      fc.property(fc.oneof(otherIPv4, loopbackIPv4, domain), fc.constantFrom('https', 'wss'), port, (host, scheme, number) => {
        expect(() => checkServerTransport(`${scheme}://${withPort(host, number)}/`)).not.toThrow();
      }),
    );
  });

  it('is not fooled by names that only look like this machine', () => {
    for (const url of [
      'http://127.0.0.1.example/',
      'http://localhost.example/',
      'http://localhost./',
      'http://127.0.0.1@chat.example/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::2]/',
      'http://0.0.0.0/',
      'http://128.0.0.1/',
      'http://chat.example/?127.0.0.1',
    ]) {
      expect(() => checkServerTransport(url), url).toThrow(InsecureTransportError);
    }
  });

  it('refuses what is not http(s) or ws(s) even with allowInsecureTransport', () => {
    expect(() => checkServerTransport('ftp://127.0.0.1/', { allowInsecureTransport: true })).toThrow('must be https://');
    expect(() => checkServerTransport('file:///etc/passwd', { allowInsecureTransport: true })).toThrow(InsecureTransportError);
  });

  it('reads hosts as URL.hostname gives them', () => {
    expect(isLoopbackHost('127.255.255.255')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.')).toBe(false);
  });
});
