// HTTP_TRUST_PROXY: which peers may tell us a client's address in X-Forwarded-For. Only a list of
// addresses, CIDR ranges and fastify's (proxy-addr's) named ranges is taken. `true` and hop counts are
// refused: with them any client can put an address of its choosing in the header, and the per-address
// limit on link attempts becomes a limit per made-up address.
import { isIP } from 'node:net';

/** proxy-addr's names for ranges: 127.0.0.0/8 and ::1, 169.254.0.0/16 and fe80::/10, private ranges. */
const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

const REFUSED =
  'must list the addresses of your proxies (IPs, CIDR ranges, loopback, linklocal or uniquelocal); ' +
  '`true` and hop counts are refused because they let any client choose the address rate limits see';

export type TrustedProxies = { ok: true; proxies: string[] } | { ok: false; problem: string };

/** The IPv4 netmask `m` (255.255.255.0) is a run of ones then zeros. */
function isNetmask(m: string): boolean {
  if (isIP(m) !== 4) return false;
  const bits = m
    .split('.')
    .map((o) => Number(o).toString(2).padStart(8, '0'))
    .join('');
  return /^1*0*$/.test(bits);
}

function isEntry(entry: string): boolean {
  if (NAMED.has(entry) || isIP(entry) !== 0) return true;
  const slash = entry.indexOf('/');
  if (slash < 0) return false;
  const ip = entry.slice(0, slash);
  const range = entry.slice(slash + 1);
  const family = isIP(ip);
  if (family === 0) return false;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isNetmask(range);
}

/**
 * Parses the comma list; empty or `false` trusts no proxy (X-Forwarded-For is ignored). The list is
 * what fastify's `trustProxy` takes: the client address is the right-most one not in it.
 */
export function parseTrustedProxies(text: string | undefined): TrustedProxies {
  const raw = (text ?? '').trim();
  if (raw === '' || raw.toLowerCase() === 'false') return { ok: true, proxies: [] };
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.some((e) => /^(true|yes|on|\d+)$/i.test(e))) return { ok: false, problem: REFUSED };
  const bad = entries.filter((e) => !isEntry(e.toLowerCase()));
  if (bad.length > 0) {
    return {
      ok: false,
      problem: `${bad.map((b) => `"${b}"`).join(', ')} is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal`,
    };
  }
  return { ok: true, proxies: entries.map((e) => (NAMED.has(e.toLowerCase()) ? e.toLowerCase() : e)) };
}
