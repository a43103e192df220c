// Offline intent routing: a few unambiguous patterns decide what free text asks for, so the bot is
// useful with no model at all. Anything else is small talk (answered by the model when there is one).

export type Intent =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'backtest'; name: string | null; timerange: string | null }
  | { kind: 'create' }
  | { kind: 'smalltalk' };

const INDICATOR = /\b(sma|ema|rsi|moving average|golden cross|death cross|crossover|cross)\b/i;
const RANGE = /\b(\d{8}-\d{8})\b/;

export function classifyIntent(text: string): Intent {
  const t = text.trim();
  if (/^(help|\?|what can you do\??|how does this work\??|commands)$/i.test(t)) return { kind: 'help' };
  if (/\b(list|show)\b.*\b(my )?strateg(y|ies)\b/i.test(t) && !INDICATOR.test(t)) return { kind: 'list' };
  const bt =
    /^(?:please\s+)?(?:back\s?test|run)\s+(?:a\s+backtest\s+(?:of|on|for)\s+)?([a-z0-9][a-z0-9-]*)?/i.exec(t);
  if (bt && /back\s?test/i.test(t)) {
    const name =
      bt[1] && !['it', 'that', 'this', 'a', 'the', 'my'].includes(bt[1].toLowerCase())
        ? bt[1].toLowerCase()
        : null;
    return { kind: 'backtest', name, timerange: RANGE.exec(t)?.[1] ?? null };
  }
  if (INDICATOR.test(t)) return { kind: 'create' };
  return { kind: 'smalltalk' };
}
