// Reads a stored backtest as the app does: its record with its payload (the code it ran and its
// figures), or, for a record from before the split, the fields it carries inline.
import { createBacktestPayloads } from '../../src/services/backtest-payloads.ts';
import type { BacktestDoc, Models } from '../../src/storage/models.ts';

export async function withPayload<T extends BacktestDoc>(
  models: Pick<Models, 'Backtest' | 'BacktestPayload'>,
  doc: T | null,
) {
  return doc ? createBacktestPayloads(models).read(doc) : null;
}
