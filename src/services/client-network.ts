// Which network a client address counts as, for limits per address. One IPv4 address is one client;
// an IPv6 client is usually handed a whole /64 (2^64 addresses), so counting per IPv6 address would
// let one client pick a fresh address for every try. An IPv4-mapped IPv6 address counts as its IPv4.
import { isIP } from 'node:net';

/** The eight 16-bit groups of an IPv6 address, '::' filled in, without leading zeros. */
function groups(v6: string): string[] | null {
  const [head = '', tail, ...more] = v6.split('::');
  if (more.length > 0) return null;
  const part = (s: string) => (s === '' ? [] : s.split(':'));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...Array.from({ length: missing }, () => '0'), ...right];
  return all.map((g) => Number.parseInt(g, 16).toString(16));
}

/** "203.0.113.7" for an IPv4 client (mapped or not), "2001:db8:1:2::/64" for an IPv6 one. */
export function clientNetwork(ip: string): string {
  const bare = ip.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped?.[1]) return mapped[1];
  if (isIP(bare) !== 6) return bare;
  const g = groups(bare);
  return g ? `${g.slice(0, 4).join(':')}::/64` : bare;
}
