// Why a backtest made no trades, on that backtest's own data: the warm engine's `diagnose` command
// (freqtrade/engine/README.md) counts, per entry condition, the candles on which it held, and words
// it in a sentence. Parsed here with zod into what the bot shows a trader.
import { z } from 'zod';
import { AppError } from '../../src/errors.ts';
import { userText } from '../user-text.ts';
import type { ReplyLine } from './protocol.ts';
import { failureError, readFailure } from './replies.ts';

export type DiagnoseRequest = {
  code: string;
  className: string;
  timeframe: string;
  pairs: string[];
  timerange: string;
  datadir: string;
  marketsPath: string;
};

export type Diagnosis = {
  conditions: { label: string; trueCandles: number; totalCandles: number }[];
  sentence: string;
};

const Count = z.number().int().nonnegative();

// Rendered strategies name their conditions; other code is judged by the entry columns it set.
const DiagnoseReplySchema = z.object({
  ok: z.literal(true),
  sentence: z.string().min(1),
  candles: Count,
  conditions: z.array(z.object({ label: z.string(), true: Count })).optional(),
  signals: z.record(z.string(), Count).optional(),
});

/** `send` is the engine client's round trip (limits and abort signal already bound). */
export async function diagnoseCode(
  send: (command: 'diagnose', request: object) => Promise<ReplyLine>,
  req: DiagnoseRequest,
): Promise<Diagnosis> {
  const reply = await send('diagnose', {
    code: req.code,
    strategy_class: req.className,
    timeframe: req.timeframe,
    pairs: req.pairs,
    timerange: req.timerange,
    datadir: req.datadir,
    markets_path: req.marketsPath,
  });
  const failure = readFailure(reply);
  if (failure) throw failureError(failure);
  const parsed = DiagnoseReplySchema.safeParse(reply);
  if (!parsed.success) {
    throw new AppError('ENGINE_FAILED', 'The engine could not say why no trades were made. Try again.', {
      detail: `bad diagnose reply: ${parsed.error.message}`,
    });
  }
  const { candles, conditions, signals, sentence } = parsed.data;
  const counted =
    conditions?.map((c) => ({ label: c.label, trueCandles: c.true, totalCandles: candles })) ??
    Object.entries(signals ?? {}).map(([column, n]) => ({
      label: `${column} signal`,
      trueCandles: n,
      totalCandles: candles,
    }));
  // The sentence names the strategy's own columns; it goes on a card as it is.
  return { conditions: counted, sentence: userText(sentence) };
}
