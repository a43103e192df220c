// The model path of explanations, through the real OpenAI client against the loopback chat server: the
// reply names the result it explains, keeps only stored figures, and the model never sees Freqtrade's
// placeholder ratios as figures.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainResult } from '../../../agents/explain/explain.ts';
import type { ExplainedResult } from '../../../agents/explain/template.ts';
import { createChatModel } from '../../../agents/model.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../../support/fake-openai.ts';
import { checkNumbers } from '../../support/numbers.ts';
import { ALL_WON_RUN } from '../../support/summaries.ts';

const SUMMARY = ALL_WON_RUN;
const RESULT: ExplainedResult = {
  name: 'btc-sma-20-50-1h',
  timerange: '20250101-20251231',
  pairs: ['BTC/USDT'],
  summary: SUMMARY,
  strategyVersion: 1,
  currentVersion: 2,
};
const LABEL =
  'Your latest backtest of btc-sma-20-50-1h (2025-01-01 to 2025-12-31, version 1; the strategy is now at version 2)';
const grounded = (text: string) => checkNumbers(text, { ...RESULT, strategyName: RESULT.name }).unexplained;

describe('explainResult with a model', () => {
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

  it('keeps a grounded reply, after a line naming the period and the version it explains', async () => {
    llm.script.push({ text: 'All 5 trades won, for 4.21% (42.10 USDT).' });
    const out = await explainResult(deps, RESULT, 'is it any good?');
    expect(out).toEqual({
      text: `${LABEL}: All 5 trades won, for 4.21% (42.10 USDT).`,
      source: 'model',
      ungrounded: [],
    });
    expect(grounded(out.text)).toEqual([]);
  });

  it('replaces a reply with an invented number by the template', async () => {
    llm.script.push({ text: 'It made 37.5% on 999 trades.' });
    const out = await explainResult(deps, RESULT, 'is it any good?');
    expect(out.source).toBe('template');
    expect(out.ungrounded).toEqual(expect.arrayContaining(['37.5%', '999']));
    expect(out.text.startsWith(`${LABEL}: 5 trades`)).toBe(true);
    expect(grounded(out.text)).toEqual([]);
  });

  // The case: +3.04% against a market that rose 127%, told as forty-two percent and twice holding.
  it('replaces figures in words, multiples and a false claim about holding by the template', async () => {
    const behind: ExplainedResult = {
      ...RESULT,
      summary: { ...SUMMARY, profitTotal: 0.0304, marketChange: 1.27 },
    };
    const cases: [string, string[]][] = [
      [
        'It made roughly forty-two percent profit, about twice what holding would have made.',
        // The figures in words, and the sentence: a comparison with holding in words the check can't verify.
        [
          'forty-two',
          'twice',
          'It made roughly forty-two percent profit, about twice what holding would have made.',
        ],
      ],
      ['Half of its trades came in the last week; five of them won.', ['Half']],
      ['It made 3.04% and beat the market.', ['It made 3.04% and beat the market.']],
    ];
    for (const [reply, ungrounded] of cases) {
      llm.script.push({ text: reply });
      const out = await explainResult(deps, behind, 'is it any good?');
      expect(out.source).toBe('template');
      expect(out.ungrounded).toEqual(ungrounded);
      expect(out.text).toContain('Simply holding did better: the market changed 127.00%.');
    }
  });

  it('says when the result does not cover the year asked about, naming no year itself', async () => {
    llm.script.push({ text: 'It made 4.21% over the period.' });
    const out = await explainResult(deps, RESULT, 'how did it perform in 2024?');
    expect(out.text).toBe(
      `${LABEL}: It made 4.21% over the period. It does not cover the period you asked about; ` +
        'ask me to backtest it over that period to see how it did then.',
    );
    expect(grounded(out.text)).toEqual([]);
  });

  it("hands the model n/a for Freqtrade's placeholders and the stored diagnosis", async () => {
    llm.script.push({ text: 'Every trade won.' });
    await explainResult(deps, RESULT, 'explain it');
    const allWinners = JSON.stringify(llm.requests.at(-1));
    expect(allWinners).toContain('\\"profitFactor\\":\\"n/a\\"');
    expect(allWinners).toContain('\\"sortino\\":\\"n/a\\"');
    expect(allWinners).toContain('\\"sharpe\\":\\"3.10\\"');

    const diagnosis = 'On BTC/USDT 1h candles: rsi < 30 was true on 41 of 8737 candles; it never fired.';
    const none: ExplainedResult = {
      ...RESULT,
      diagnosis,
      summary: {
        ...SUMMARY,
        trades: 0,
        wins: 0,
        winRate: 0,
        sharpe: 0,
        sortino: 0,
        calmar: 0,
        expectancy: 0,
      },
    };
    llm.script.push({ text: 'It never traded.' });
    await explainResult(deps, none, 'why no trades?');
    const noTrades = JSON.stringify(llm.requests.at(-1));
    for (const field of ['winRate', 'sharpe', 'profitFactor', 'expectancy'])
      expect(noTrades).toContain(`\\"${field}\\":\\"n/a\\"`);
    expect(noTrades).toContain(diagnosis);
  });
});
