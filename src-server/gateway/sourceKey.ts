import { isIPv6 } from 'node:net';

/**
 * The key a per-source limit counts under: an IPv4 address as it is, an IPv6 address by its /64
 * (one subscriber usually holds a whole /64, so rotating inside it must not buy new counts);
 * IPv4-mapped IPv6 as the IPv4 address. Kept in memory only, never logged or stored.
 */
export function sourceKeyOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
