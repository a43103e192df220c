// HTTP_TRUST_PROXY parsing: a list of addresses, CIDR ranges and proxy-addr's named ranges is taken;
// `true`, hop counts and anything that is not an address are refused with a sentence saying why.
import { describe, expect, it } from 'vitest';
import { parseTrustedProxies } from '../../src/trusted-proxies.ts';

describe('parseTrustedProxies', () => {
  it('trusts nobody when unset, empty or false', () => {
    for (const text of [undefined, '', '  ', 'false', 'FALSE']) {
      expect(parseTrustedProxies(text)).toEqual({ ok: true, proxies: [] });
    }
  });

  it('takes addresses, CIDR ranges (prefix or netmask) and the named ranges, in a comma list', () => {
    expect(
      parseTrustedProxies(
        ' loopback, LinkLocal ,uniquelocal, 10.0.0.1, 10.0.0.0/8, 172.16.0.0/255.240.0.0, ::1, fd00::/8,',
      ),
    ).toEqual({
      ok: true,
      proxies: [
        'loopback',
        'linklocal',
        'uniquelocal',
        '10.0.0.1',
        '10.0.0.0/8',
        '172.16.0.0/255.240.0.0',
        '::1',
        'fd00::/8',
      ],
    });
  });

  it.each(['true', 'TRUE', 'yes', '1', '2', 'loopback, 1', '10.0.0.1,true'])(
    'refuses %j: any client could choose its own address',
    (text) => {
      const parsed = parseTrustedProxies(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok)
        expect(parsed.problem).toMatch(/`true` and hop counts are refused because they let any client/);
    },
  );

  it.each(['proxy.example.com', '10.0.0.300', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/255.0.255.0', '*'])(
    'refuses %j, naming it',
    (text) => {
      const parsed = parseTrustedProxies(`loopback, ${text}`);
      expect(parsed).toEqual({
        ok: false,
        problem: `"${text}" is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal`,
      });
    },
  );
});
