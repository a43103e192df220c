// A model reply that quotes one of Freqtrade's placeholder ratios (profit factor 0 or Sortino -100 when
// no trade lost; ratios of 0 with no trades) states a number the result doesn't have: the fact sheet told
// the model n/a, so the reply is replaced by the template. Through the real client and the loopback server.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainResult } from '../../../agents/explain/explain.ts';
import type { ExplainedResult } from '../../../agents/explain/template.ts';
import { createChatModel } from '../../../agents/model.ts';
import type { BacktestSummary } from '../../../src/backtest/summary.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../../support/fake-openai.ts';
import { ALL_WON_RUN, NO_TRADES_RUN } from '../../support/summaries.ts';

// Five winners and no loser: Freqtrade writes profit factor 0 and Sortino -100 as placeholders.
const ALL_WON = ALL_WON_RUN;
const NO_TRADES = NO_TRADES_RUN;
const result = (summary: BacktestSummary): ExplainedResult => ({
  name: 'btc-sma-20-50-1h',
  timerange: '20250101-20251231',
  pairs: ['BTC/USDT'],
  summary,
});

describe('explainResult refuses placeholder figures', () => {
  let llm: FakeOpenAI;
  let deps: Parameters<typeof explainResult>[0];
  beforeAll(async () => {
    llm = await startFakeOpenAI();
    const model = createChatModel({
      apiKey: 'test-key',
      baseUrl: llm.baseUrl,
      model: 'test-model',
      timeoutMs: 5000,
      maxRetries: 0,
    });
    deps = { model, logger: pino({ level: 'silent' }) };
  });
  afterAll(async () => {
    await llm?.close();
  });

  it.each([
    ['profit factor 0.00', ALL_WON, 'All 5 trades won, but the profit factor is 0.00.', ['0.00']],
    ['Sortino -100.00', ALL_WON, 'Sharpe 3.10 and Sortino -100.00 over 5 trades.', ['-100.00']],
    ['a zero-trade Sharpe 0.00', NO_TRADES, 'No trades, so Sharpe is 0.00.', ['0.00']],
  ])('replaces a reply quoting %s by the template', async (_label, summary, reply, expected) => {
    llm.script.push({ text: reply });
    const out = await explainResult(deps, result(summary), 'is it any good?');
    expect(out.source).toBe('template');
    expect(out.ungrounded).toEqual(expected);
    expect(out.text).not.toContain(reply);
  });

  it('still keeps a reply quoting only real figures of the same result', async () => {
    llm.script.push({ text: 'Sharpe 3.10 over 5 trades, 4.21% in total.' });
    const out = await explainResult(deps, result(ALL_WON), 'is it any good?');
    expect(out.source).toBe('model');
    expect(out.text).toContain('Sharpe 3.10 over 5 trades, 4.21% in total.');
  });
});
