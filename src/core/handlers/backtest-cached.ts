// The result card for a request answered from the result cache: built for the asker's own backtest
// (their strategy's name, their dates and pairs, buttons on their run) from Freqtrade's figures of an
// identical earlier run, saying so and when that run finished. It looks like the job's card otherwise:
// the same fields, the zero-trade diagnosis and the equity chart.

import type { CachedResult } from '../../services/result-cache.ts';
import type { BacktestDoc, StrategyDoc } from '../../storage/models.ts';
import { resultButtons } from '../backtest-messages.ts';
import { resultCard } from '../cards.ts';
import type { OutgoingMessage } from '../types.ts';
import type { HandlerDeps } from './deps.ts';

const minute = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export async function cachedResultMessage(
  deps: HandlerDeps,
  doc: StrategyDoc,
  bt: BacktestDoc,
  cached: CachedResult,
): Promise<OutgoingMessage> {
  const key = bt._id.toString();
  const card = resultCard(bt.strategyName, bt.timerange, bt.pairs, cached.summary);
  card.fields.push({
    name: 'From the cache',
    value: `Same code, dates, pairs, settings and market data as a backtest that finished ${minute(cached.ranAt)}, so no new run. Press Run again for a fresh one.`,
  });
  if (cached.summary.trades === 0 && cached.diagnosis)
    card.fields.push({ name: 'Why no trades', value: cached.diagnosis });
  const title = `${bt.strategyName} ${bt.timerange}`;
  const chart =
    cached.equity && deps.equityChart
      ? await deps.equityChart(cached.equity, title).catch(() => undefined)
      : undefined;
  if (chart)
    card.image = {
      filename: `${bt.strategyName}-${bt.timerange}.png`,
      contentType: 'image/png',
      data: chart,
    };
  return {
    text: `Backtest of ${title}: done (from the cache).`,
    card,
    progress: { key, state: 'succeeded' },
    buttons: resultButtons(key, doc._id.toString()),
  };
}
