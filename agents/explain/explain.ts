// Explains a stored backtest result. With a model, the model gets the stored figures and writes the
// explanation; afterwards every number in its reply must be one of those figures, or the deterministic
// template is used instead. The model may explain numbers; it may not produce them. Either way the reply
// starts by naming the result it explains (period, and version when the strategy has changed since).
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Logger } from 'pino';
import { meaningfulFigures } from '../../src/backtest/figures.ts';
import { fixed, money, pct } from '../../src/core/format.ts';
import { EXPLAIN_SYSTEM } from '../prompts.ts';
import { ungroundedNumbers } from './grounding.ts';
import {
  coverageNote,
  type ExplainedResult,
  explainFromFigures,
  ignorableText,
  summaryTimerange,
  whichResult,
} from './template.ts';

/** The figures the model may quote, already formatted the way cards show them; n/a where Freqtrade has none. */
function factSheet(r: ExplainedResult): string {
  const s = meaningfulFigures(r.summary);
  return JSON.stringify({
    strategy: r.name,
    timerange: r.timerange,
    pairs: r.pairs,
    timeframe: s.timeframe,
    trades: s.trades,
    wins: s.wins,
    losses: s.losses,
    draws: s.draws,
    winRate: pct(s.winRate),
    totalProfit: pct(s.profitTotal),
    totalProfitAbs: money(s.profitTotalAbs, s.stakeCurrency),
    maxDrawdown: pct(s.maxDrawdown),
    sharpe: fixed(s.sharpe),
    sortino: fixed(s.sortino),
    profitFactor: fixed(s.profitFactor),
    expectancy: money(s.expectancy, s.stakeCurrency),
    cagr: pct(s.cagr),
    marketChange: pct(s.marketChange),
    startingBalance: money(s.startingBalance, s.stakeCurrency),
    finalBalance: money(s.finalBalance, s.stakeCurrency),
    datesTested: summaryTimerange(s),
    ...(r.diagnosis ? { whyNoTrades: r.diagnosis } : {}),
  });
}

export type Explanation = { text: string; source: 'model' | 'template'; ungrounded: string[] };

export async function explainResult(
  deps: { model: BaseChatModel | undefined; logger: Logger },
  result: ExplainedResult,
  question: string,
): Promise<Explanation> {
  const template = (ungrounded: string[] = []): Explanation => ({
    text: explainFromFigures(result, question),
    source: 'template',
    ungrounded,
  });
  if (!deps.model) return template();
  try {
    const answer = await deps.model.invoke([
      new SystemMessage(
        `${EXPLAIN_SYSTEM}\nYour reply follows a line that names the backtest and its period; don't repeat them.` +
          `\nn/a means Freqtrade has no meaningful figure for it here (no trades, or no losing trade).\nFigures: ${factSheet(result)}`,
      ),
      new HumanMessage(question || 'Explain this result.'),
    ]);
    const text = typeof answer.content === 'string' ? answer.content.trim() : '';
    if (!text) return template();
    // Checked against the fact sheet's figures: a placeholder the model was told is n/a ("profit factor
    // 0.00" with no losing trade) is not a result it may quote.
    const ungrounded = ungroundedNumbers(text, meaningfulFigures(result.summary), ignorableText(result));
    if (ungrounded.length > 0) {
      deps.logger.warn(
        { ungrounded },
        'model explanation states numbers not in the result; using the template',
      );
      return template(ungrounded);
    }
    const note = coverageNote(result, question);
    return {
      text: `${whichResult(result)}: ${text}${note ? ` ${note}` : ''}`,
      source: 'model',
      ungrounded: [],
    };
  } catch (err) {
    deps.logger.warn({ err }, 'model explanation failed; using the template');
    return template();
  }
}
