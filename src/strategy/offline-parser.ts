// Deterministic, offline reading of common strategy phrasings ("BTC SMA 20/50 cross on 1h with a 5% stop").
// Used when no language model is configured and as a cheap first try. It reads risk, timeframe and pairs
// first, then one indicator family; anything it can't place (a short, a trailing stop without a distance,
// a word no reader took) is refused with a sentence for the trader, never guessed. Defaults: BTC/USDT,
// 1h, a 10% stop-loss, and no take-profit unless one is asked for.
import { isAppError } from '../errors.ts';
import { EXAMPLE, refuseLeftovers, refuseShort, refuseUnsupported } from './parse-guards.ts';
import { readMovingAverages } from './parse-ma.ts';
import { readPairs, readTimeframe } from './parse-market.ts';
import { readMaxOpenTrades, readStop, readTakeProfit, refuseStrayPercent } from './parse-risk.ts';
import { readRsi } from './parse-rsi.ts';
import type { Signals } from './parse-signals.ts';
import { fail, listWords, mentions, prepare, type Scan } from './parse-text.ts';
import { normalizeStrategyName, type StrategySpec, validateSpec } from './spec.ts';

/** Result of {@link parseStrategyText}: a valid spec and a suggested name, or why the text was not enough. */
type ParsedStrategyText = { ok: true; spec: StrategySpec; name: string } | { ok: false; reason: string };

const DEFAULTS = { pair: 'BTC/USDT', timeframe: '1h', stoploss: -0.1 } as const;
const MAX_TEXT = 1000;
const MAX_NAMED_PAIRS = 3;

const RSI_WORDS = /\brsi\b|relative\s+strength/;
const MA_WORDS = /\b(?:sma|ema|ma)\b|moving\s+average|\b(?:golden|death)\s*cross/;

function readSignals(scan: Scan, found: string[]): Signals {
  const rsi = mentions(scan, RSI_WORDS);
  const ma = mentions(scan, MA_WORDS);
  if (rsi && ma) {
    fail("Combining RSI with moving averages isn't supported offline yet; describe one of them.");
  }
  if (rsi) return readRsi(scan);
  if (ma) return readMovingAverages(scan);
  const lead =
    found.length > 0
      ? `I found ${listWords(found)}, but no indicator.`
      : "I couldn't find an indicator in that.";
  return fail(`${lead} Name one, for example: ${EXAMPLE}, or: buy when RSI is below 30 and sell above 70.`);
}

function suggestName(pairs: readonly string[], label: string, timeframe: string): string {
  const bases = pairs.length > MAX_NAMED_PAIRS ? ['multi'] : pairs.map((p) => p.split('/')[0] ?? p);
  return normalizeStrategyName([...bases, label, timeframe].join('-'));
}

function parse(text: string): { spec: StrategySpec; name: string } {
  if (text.trim() === '') fail(`Describe the strategy, for example: ${EXAMPLE}.`);
  if (text.length > MAX_TEXT) {
    fail('That is too long for me to read; describe the strategy in one or two sentences.');
  }
  const scan = prepare(text);
  refuseShort(scan);
  const stop = readStop(scan);
  const takeProfit = readTakeProfit(scan);
  const maxOpenTrades = readMaxOpenTrades(scan);
  refuseStrayPercent(scan);
  const timeframe = readTimeframe(scan);
  const pairs = readPairs(scan);
  refuseUnsupported(scan);
  const found = [
    ...(pairs ?? []),
    ...(timeframe ? [timeframe] : []),
    ...(stop ? [`a ${stop.percent}% stop`] : []),
  ];
  const signals = readSignals(scan, found);
  refuseLeftovers(scan, signals);
  if (signals.exit.length === 0 && takeProfit === undefined && !stop?.trailing) {
    fail(
      'Say when to sell, for example: sell when RSI is above 70, or add a take-profit such as: take profit 10%.',
    );
  }
  const checked = validateSpec({
    specVersion: 2,
    timeframe: timeframe ?? DEFAULTS.timeframe,
    pairs: pairs ?? [DEFAULTS.pair],
    entry: { all: signals.entry },
    exit: { all: signals.exit },
    stoploss: stop?.stoploss ?? DEFAULTS.stoploss,
    ...(takeProfit === undefined ? {} : { minimalRoi: { '0': takeProfit } }),
    ...(stop?.trailing ? { trailingStop: {} } : {}),
    ...(maxOpenTrades === undefined ? {} : { maxOpenTrades }),
  });
  if (!checked.ok) return fail(`That strategy isn't valid: ${checked.errors.join('; ')}.`);
  const spec = checked.spec;
  return { spec, name: suggestName(spec.pairs, signals.label, spec.timeframe) };
}

/**
 * Reads a strategy from plain words without a language model. Deterministic: the same text always gives
 * the same spec and name. Failure reasons are sentences meant for the trader.
 */
export function parseStrategyText(text: string): ParsedStrategyText {
  try {
    return { ok: true, ...parse(text) };
  } catch (err) {
    if (isAppError(err) && err.code === 'PARSE_FAILED') return { ok: false, reason: err.userMessage };
    throw err;
  }
}
