// Offline parser, money management: stake per trade ("stake 100 usdt", "$50 per trade", "unlimited
// stake") and Freqtrade protections ("cooldown 5 candles", "pause 12 candles after 3 stoplosses within 24
// candles"). Read before pairs, so "usdt" in a stake is not a quote currency, and before the stop reader.

import type { Protections } from '../spec-risk.ts';
import { NUM } from './terms.ts';
import { fail, leftover, type Scan, takeAll } from './text.ts';

const CURRENCY = '(?:usdt|usdc|usd|dollars?|bucks)';
const STAKE = [
  new RegExp(
    String.raw`\bstake(?:\s+amount)?\s*(?:of|:|=|is)?\s*\$?\s*${NUM}\s*(?:${CURRENCY}\b)?(?:\s+(?:per|a|each)\s+(?:trade|position))?`,
    'g',
  ),
  new RegExp(
    String.raw`(?:\$\s*${NUM}|\b${NUM}\s*(?:\$|${CURRENCY}\b))\s+(?:per|a|each|for\s+each)\s+(?:trade|position)\b`,
    'g',
  ),
];
const UNLIMITED = /\bunlimited\s+stake\b|\bstake(?:\s+amount)?\s*(?:is|:|=)?\s*unlimited\b/g;

/** Stake per trade in the stake currency, or "unlimited". */
export function readStake(scan: Scan): number | 'unlimited' | undefined {
  const amounts = STAKE.flatMap((p) => takeAll(scan, p).map((h) => Number(h.groups[0] ?? h.groups[1])));
  const unlimited = takeAll(scan, UNLIMITED).length > 0;
  const unread = leftover(scan, /\bstake\b[^,;.]*/);
  if (unread !== undefined) fail(`I couldn't read the stake in "${unread}"; write it like: stake 100 usdt.`);
  const distinct = [...new Set(amounts)];
  if (distinct.length + (unlimited ? 1 : 0) > 1) fail('I found more than one stake; which one do you mean?');
  return unlimited ? 'unlimited' : distinct[0];
}

const CANDLES = '(?:candles?|bars?)';
const COOLDOWN = [
  new RegExp(String.raw`\bcool\s*-?\s*down\s*(?:of|for|:|=)?\s*(\d+)\s*${CANDLES}`, 'g'),
  new RegExp(String.raw`(?<![@\w])(\d+)\s*-?\s*${CANDLES}\s+cool\s*-?\s*down\b`, 'g'),
  new RegExp(String.raw`\bwait\s+(\d+)\s*${CANDLES}\s+after\s+(?:each|a|every)\s+(?:trade|exit)`, 'g'),
];
const GUARD = new RegExp(
  String.raw`\b(?:stop|pause)\s+(?:trading\s+)?(?:for\s+)?(\d+)\s*${CANDLES}\s+after\s+(\d+)\s+stop\s*-?\s*loss(?:es)?\s+(?:with)?in\s+(\d+)\s*${CANDLES}`,
  'g',
);

/** Cooldown after each trade, and a pause after a run of stop-losses. */
export function readProtections(scan: Scan): Protections | undefined {
  const cooldown = COOLDOWN.flatMap((p) => takeAll(scan, p).map((h) => Number(h.groups[0])));
  const guard = takeAll(scan, GUARD).map((h) => ({
    stopCandles: Number(h.groups[0]),
    tradeLimit: Number(h.groups[1]),
    lookbackCandles: Number(h.groups[2]),
  }));
  const unread = leftover(scan, /\bcool\s*-?\s*down\b[^,;.]*|\bstop\s*-?\s*loss\s+guard\b[^,;.]*/);
  if (unread !== undefined) {
    fail(
      `I couldn't read "${unread}"; write it like: cooldown 5 candles, or: pause 12 candles after 3 stoplosses within 24 candles.`,
    );
  }
  if (cooldown.length > 1 || guard.length > 1)
    fail('I found more than one cooldown or pause; which one do you mean?');
  const [candles] = cooldown;
  const [stoplossGuard] = guard;
  if (candles === undefined && stoplossGuard === undefined) return undefined;
  return {
    ...(candles === undefined ? {} : { cooldownCandles: candles }),
    ...(stoplossGuard === undefined ? {} : { stoplossGuard }),
  };
}
