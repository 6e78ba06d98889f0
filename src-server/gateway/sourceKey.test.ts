import { describe, expect, it } from 'vitest';
import { sourceKeyOf } from './sourceKey';

describe('sourceKeyOf', () => {
  it('keeps IPv4 addresses, unwraps mapped ones and groups IPv6 by /64', () => {
    expect(sourceKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(sourceKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(sourceKeyOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(sourceKeyOf('2001:db8:1:2::5')).toBe(sourceKeyOf('2001:0db8:0001:0002:ffff::1'));
    expect(sourceKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(sourceKeyOf(undefined)).toBe('unknown');
  });
});
