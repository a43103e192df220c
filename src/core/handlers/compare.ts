// /compare: two strategies' latest finished backtests side by side, with their equity curves overlaid
// when both were stored; the card warns when the runs differ in period, pairs or timeframe, and names
// the version a result is from when the strategy has been edited since.
import { AppError } from '../../errors.ts';
import type { FinishedBacktest } from '../../services/backtest-record.ts';
import type { StrategyDoc } from '../../storage/models.ts';
import { compareCard } from '../cards.ts';
import type { OutgoingMessage } from '../types.ts';
import type { HandlerCtx, HandlerDeps } from './deps.ts';

export async function compare(deps: HandlerDeps, ctx: HandlerCtx, args: string): Promise<OutgoingMessage[]> {
  const names = args
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (names.length !== 2) throw new AppError('BAD_COMMAND', 'Usage: /compare <name> <name>');
  const docs = await Promise.all(names.map((n) => deps.strategies.getByName(ctx.ownerId, n)));
  const results = await Promise.all(docs.map((d) => deps.backtests.latestSucceeded(ctx.ownerId, d._id)));
  const rows: { doc: StrategyDoc; bt: FinishedBacktest }[] = [];
  for (const [i, doc] of docs.entries()) {
    const bt = results[i];
    if (!bt) {
      throw new AppError(
        'NOT_FOUND',
        `${doc.name} has no finished backtest yet. Run /backtest ${doc.name} first.`,
      );
    }
    rows.push({ doc, bt });
  }
  const card = compareCard(
    rows.map((r) => ({
      name: r.doc.name,
      timerange: r.bt.timerange,
      pairs: r.bt.pairs,
      summary: r.bt.summary,
      version: { run: r.bt.strategyVersion, current: r.doc.version },
    })),
  );
  if (deps.compareChart) {
    const label = (r: (typeof rows)[number]) =>
      r.bt.strategyVersion === r.doc.version ? r.doc.name : `${r.doc.name} v${r.bt.strategyVersion}`;
    const series = rows.flatMap((r) => (r.bt.equity ? [{ name: label(r), equity: r.bt.equity }] : []));
    if (series.length === rows.length) {
      // The figures stand on their own: a chart that can't be drawn is left out.
      const data = await deps.compareChart(series).catch(() => undefined); // logged by compareChart
      const filename = `compare-${rows.map((r) => r.doc.name).join('-vs-')}.png`;
      if (data) card.image = { filename, contentType: 'image/png', data };
    }
  }
  return [{ text: `${rows[0]?.doc.name} vs ${rows[1]?.doc.name}`, card }];
}
