// The check behind "every number a user sees comes from the result, never from the model": finds the
// numbers in a reply that the backtest's figures, as the trader sees them formatted, don't account for.
// Strict on purpose: "13%" is not "15.40%", "1.30%" is not "-1.30%", "3.1%" is not "3.12%". A reply that
// fails is replaced by the deterministic template, which quotes the same formatted figures. Figures in
// words count too ("forty-two percent", "seven trades"), and a multiple or fraction ("twice what holding
// made", "half") is never grounded: no card shows one.
import type { BacktestSummary } from '../../src/backtest/summary.ts';
import { fixed, money, pct, seconds } from '../../src/core/format.ts';
import { wordFigures } from './number-words.ts';

const DATE = /\b\d{4}-\d{2}-\d{2}\b/g;
const IS_DATE = /^\d{4}-\d{2}-\d{2}$/;
// A sign counts only where it can be one (after a space, a bracket or the start), not inside "sma-20".
// "7 percent", "4-percent", "3 pct", "2 pc" are percentages as much as "7%".
const NUMBER =
  /(?<![\d.,])((?<=^|[\s([:=~])[-+\u2212])?(\d+(?:,\d{3})*(?:\.\d+)?)(?![\d])(\s?%|\s*-?\s*(?:percent|per\s*cent|pct|pc)\b)?/gi;

type NumberToken = { raw: string; value: string; canonical: string };

/**
 * The reply as the checks read it: full-width and other compatibility forms folded (NFKC: "４２％" is
 * "42%"), and digits of any script ("٤٢") written as ASCII digits. A run of ten decimal digits is
 * contiguous in Unicode, so a digit's value is its distance from the first digit of its run.
 */
function readable(reply: string): string {
  return reply.normalize('NFKC').replace(/\p{Nd}/gu, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) return ch;
    let zero = code;
    while (zero > code - 9 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero -= 1;
    return String(code - zero);
  });
}

function numberTokens(text: string, currency: string | null): NumberToken[] {
  const out: NumberToken[] = [];
  for (const m of text.matchAll(NUMBER)) {
    // "lost 1.30%", "down 1.30%": the sign in words.
    const lossWord =
      /\b(?:lost|losing|down|fell|dropped|declined|shed)\s+(?:about\s+|roughly\s+|around\s+)?$/i.test(
        text.slice(Math.max(0, (m.index ?? 0) - 30), m.index ?? 0),
      );
    const sign = m[1] === '-' || m[1] === '\u2212' || (lossWord && m[3]) ? '-' : '';
    const value = (m[2] ?? '').replace(/,/g, '');
    const after = text.slice((m.index ?? 0) + m[0].length);
    const unit = m[3]
      ? '%'
      : currency && new RegExp(`^\\s+${currency}\\b`, 'i').test(after)
        ? ` ${currency.toUpperCase()}`
        : '';
    out.push({ raw: m[0].trim(), value, canonical: `${sign}${value}${unit}` });
  }
  return out;
}

function yearsOf(start: string, end: string): string[] {
  const [from, to] = [Number(start.slice(0, 4)), Number(end.slice(0, 4))];
  return Number.isFinite(from) && Number.isFinite(to) && to - from < 20
    ? Array.from({ length: to - from + 1 }, (_, i) => String(from + i))
    : [];
}

/** The figures of a result exactly as the fact sheet and the template show them. */
function formattedFigures(summary: BacktestSummary): string[] {
  const s = summary;
  const cur = s.stakeCurrency;
  return [
    String(s.trades),
    String(s.wins),
    String(s.losses),
    String(s.draws),
    ...[s.winRate, s.profitTotal, s.maxDrawdown, s.cagr, s.marketChange].map(pct),
    ...[s.profitTotalAbs, s.maxDrawdownAbs, s.expectancy, s.startingBalance, s.finalBalance].map((v) =>
      money(v, cur),
    ),
    ...[s.sharpe, s.sortino, s.calmar, s.profitFactor].map((v) => fixed(v)),
    // The card's run time ("12 s"): the explanation may repeat what the card shows.
    seconds(s.runtimeSeconds),
    s.periodStart.slice(0, 10),
    s.periodEnd.slice(0, 10),
    // The years the period covers ("volatile in the first half of 2024").
    ...yearsOf(s.periodStart, s.periodEnd),
  ].filter((v) => v !== 'n/a');
}

function withoutIgnored(reply: string, ignore: readonly string[]): string {
  let text = reply;
  // Only text with digits matters; stripping "USDT" would strip the unit off "-12.99 USDT".
  for (const s of ignore.filter((i) => /\d/.test(i)).sort((a, b) => b.length - a.length)) {
    text = text.replace(new RegExp(s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'gi'), ' ');
  }
  return text;
}

/**
 * The numbers in `reply` that are not a figure of `summary` as formatted for the trader (sign, decimals
 * and unit included). Text in `ignore` (the strategy name, its timeframe and pairs, the timerange) is
 * removed first: "btc-sma-20-50-1h" names a strategy, it doesn't state a figure.
 */
export function ungroundedNumbers(
  reply: string,
  summary: BacktestSummary,
  ignore: readonly string[] = [],
): string[] {
  const figures = formattedFigures(summary);
  const cur = summary.stakeCurrency;
  const known = new Set(
    figures.flatMap((f) => (IS_DATE.test(f) ? [f] : numberTokens(f, cur).map((t) => t.canonical))),
  );
  const out: string[] = [];
  const text = withoutIgnored(readable(reply), ignore).replace(DATE, (date) => {
    if (!known.has(date)) out.push(date);
    return ' ';
  });
  for (const t of numberTokens(text, cur)) if (!known.has(t.canonical)) out.push(t.raw);
  for (const w of wordFigures(text)) if (w.multiple || !known.has(w.canonical)) out.push(w.raw);
  return out;
}

/**
 * What the bot itself states and a chat reply may repeat: text whose digits are names, not figures
 * ("1h", "1INCH/USDT"), and figures with their unit ("10" timeframes, "5%" in the help's example).
 */
export type StatedFacts = { names: readonly string[]; figures: readonly string[] };

/** Canonical figures (unit included) of text the bot says itself, such as its help. */
export function statedFigures(text: string): string[] {
  return [...numberTokens(text, null).map((t) => t.canonical), ...wordFigures(text).map((w) => w.canonical)];
}

/** A figure without its sign and % sign, as the user's own numbers are compared. */
const bare = (canonical: string) => canonical.replace(/^-/, '').replace(/%$/, '');

/**
 * The numbers in `reply` that neither `source` (the user's own message) nor `stated` (facts the bot states
 * itself) contains: a chat reply has no figures of its own. Numbers in words and multiples count.
 */
export function numbersNotIn(
  reply: string,
  source: string,
  stated: StatedFacts = { names: [], figures: [] },
): string[] {
  // The user's numbers count with or without sign and unit: "is a 3 stop ok?" allows "a -3% stop".
  const said = new Set([...numberTokens(source, null), ...wordFigures(source)].map((t) => bare(t.canonical)));
  const facts = new Set(stated.figures);
  const ok = (canonical: string) => said.has(bare(canonical)) || facts.has(canonical);
  const text = withoutIgnored(readable(reply), stated.names);
  return [
    ...numberTokens(text, null).filter((t) => !ok(t.canonical)),
    ...wordFigures(text).filter((w) => !ok(w.canonical)),
  ].map((t) => t.raw);
}
