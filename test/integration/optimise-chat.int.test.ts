// Optimisation from the chat against the real engine on the sample data: /optimize opens the form
// (asked field by field on a platform without modals), its answers queue a run that follows a
// backtest's life, Freqtrade's hyperopt improves the loss on the training part, the card shows the
// training and test figures side by side, "Save as new version" keeps the found levels as a version
// that /diff shows and that backtests; /show finds the result later; Cancel stops a running search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptimisationSchema } from '../../src/backtest/optimise.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { withPayload } from '../support/backtest-payload.ts';
import { until } from '../support/wait.ts';

const NAME = 'sol-rsi-30-70-15m';

const TUNED = `from freqtrade.strategy import IStrategy, IntParameter
import talib.abstract as ta
from pandas import DataFrame


class TunedRsi(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "15m"
    stoploss = -0.10
    minimal_roi = {"0": 10}
    startup_candle_count = 30
    buy_rsi = IntParameter(15, 45, default=30, space="buy")
    sell_rsi = IntParameter(55, 85, default=70, space="sell")

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["rsi"] < self.buy_rsi.value, "enter_long"] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["rsi"] > self.sell_rsi.value, "exit_long"] = 1
        return dataframe
`;
const PLAIN = TUNED.replace('class TunedRsi', 'class PlainRsi')
  .replace(/ {4}buy_rsi = .*\n {4}sell_rsi = .*\n/, '')
  .replace('self.buy_rsi.value', '30')
  .replace('self.sell_rsi.value', '70')
  .replace('IStrategy, IntParameter', 'IStrategy');

describe('optimising a strategy from the chat', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const [made] = await t.send(`/new SOL RSI 14 below 30 buy, above 70 sell on 15m with a 10% stop`);
    if (!made?.text.includes(NAME)) throw new Error(`unexpected strategy: ${JSON.stringify(made)}`);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Answers the form's questions in order; returns the replies to the last answer. */
  async function fillForm(answers: string[]): Promise<OutgoingMessage[]> {
    let replies: OutgoingMessage[] = [];
    for (const a of answers) replies = await t.send(a);
    return replies;
  }

  it('takes a period typed as the cards print it', async () => {
    const [form] = await t.send(`/optimize ${NAME} 2024-01-01 to 2024-03-01`);
    expect(form?.text).toMatch(/entry_level_1: entry level 1 \(RSI below\)/);
    // A command leaves the half-answered form.
    await t.send('/strategies');
    expect(await t.app.models.FormSession.countDocuments()).toBe(0);
  });

  it('tunes the levels, shows training and test figures, and saves the best as a version that backtests', async () => {
    // Asked in words, with the strategy's name: the form, not a new strategy read from the name.
    const [form, ...rest] = await t.send(`optimise ${NAME} over 20240101-20240301`);
    expect(form?.text).toMatch(/entry_level_1: entry level 1 \(RSI below\), now 30, searched 15 to 45/);
    expect(form?.text).toMatch(/exit_level_1: exit level 1 \(RSI above\), now 70, searched 35 to 100/);
    // No modals here: the first question comes at once.
    expect(rest.map((m) => m.text).join('\n')).toMatch(/Optimise sol-rsi-30-70-15m \(1\/5\): Tune/);
    const [queued] = await fillForm(['-', '6', 'profit', '-', '-']);
    expect(queued?.text).toMatch(
      /^Optimisation of sol-rsi-30-70-15m 20240101-20240301 on SOL\/USDT \(15m\): queued/,
    );
    const key = String(queued?.progress?.key);
    const done = await t.waitForFinal(key, 240_000);
    expect(done.progress?.state).toBe('succeeded');
    // Running, edited into the one message (six epochs pass within one 2-second pace, so which epoch
    // shows, if any, depends on timing; the Cancel case below waits for an epoch line).
    const steps = t.posted.filter((m) => m.progress?.key === key && m.progress.state === 'running');
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((m) => /^Optimisation of sol-rsi-30-70-15m 20240101-20240301: /.test(m.text))).toBe(
      true,
    );

    const bt = await withPayload(t.app.models, await t.app.models.Backtest.findById(key).lean());
    const o = OptimisationSchema.parse(bt?.optimisation);
    expect(o.epochsRun).toBe(6);
    expect(o.spaces).toEqual(['buy', 'sell']);
    expect(o.trainRange).toBe('20240101-20240212');
    expect(o.testRange).toBe('20240212-20240301');
    // The search found a better loss on the training part than the parameters as they were.
    expect(o.baselineLoss).not.toBeNull();
    expect(o.bestLoss).toBeLessThan(o.baselineLoss ?? Number.NaN);
    expect(o.train.periodStart.slice(0, 10)).toBe('2024-01-01');
    expect(o.test?.periodStart.slice(0, 10)).toBe('2024-02-12');

    const fields = Object.fromEntries((done.card?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Search).toMatch(
      /^6 of 6 epochs of Freqtrade's hyperopt on buy, sell, profit-only loss, seed 1/,
    );
    expect(fields['Training | test (Freqtrade)']).toMatch(
      /^Training 2024-01-01 to 2024-02-12 \| test 2024-02-12 to 2024-03-01\nTrades: \d+ \| \d+/,
    );
    // Same seed, same data: this search shines in training and loses money in the test part.
    expect(o.train.profitTotal).toBeGreaterThan(0);
    expect(o.test?.profitTotal).toBeLessThan(0);
    expect(fields['Verdict (our code)']).toMatch(/^ONLY SHINES IN TRAINING: it lost money on the test part/);
    // The figures are Freqtrade's: the card's trade counts are the stored summaries'.
    expect(fields['Training | test (Freqtrade)']).toContain(`Trades: ${o.train.trades} | ${o.test?.trades}`);

    // The change as a diff of the code too: what Save as new version would save.
    expect(done.code?.filename).toBe(`${NAME}-optimised.diff`);
    const added = (done.code?.content ?? '')
      .split('\n')
      .filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    expect(added.some((l) => l.includes(String(o.found.buy?.entry_level_1)))).toBe(true);
    expect(done.code?.content).toMatch(/\+\+\+ \w+\.py \(optimised\)/);
    if (process.env.SHOW_CARD) console.log(JSON.stringify(done, null, 1));
    // Optimise again: the form comes back with this run's settings, not the defaults.
    const optimiseAgain = done.buttons?.find((b) => b.label === 'Optimise again')?.action;
    if (!optimiseAgain) throw new Error(`no Optimise again button on ${JSON.stringify(done)}`);
    const refilled = (await t.click(optimiseAgain)).map((m) => m.text).join('\n');
    expect(refilled).toMatch(/\(1\/5\): Tune .*\nNow: entry_level_1, exit_level_1\n/);
    expect((await t.send('-'))[0]?.text).toMatch(/\(2\/5\): Epochs .*\nNow: 6\n/);
    expect((await t.send('-'))[0]?.text).toMatch(/\(3\/5\): Loss: .*\nNow: profit\n/);
    expect((await t.send('cancel'))[0]?.text).toMatch(/cancel/i);
    const save = done.buttons?.find((b) => b.label === 'Save as new version')?.action;
    if (!save) throw new Error(`no Save button on ${JSON.stringify(done)}`);
    const [saved, diff] = await t.click(save);
    expect(saved?.text).toMatch(/^Saved the optimised parameters as sol-rsi-30-70-15m version 2\./);
    expect(saved?.text).toContain('On the test part (20240212-20240301');
    const strategy = await t.app.models.Strategy.findOne({ name: NAME }).lean();
    const spec = JSON.stringify(strategy?.spec);
    const level = o.found.buy?.entry_level_1;
    expect(typeof level).toBe('number');
    expect(spec).toContain(`"right":${level}`);
    expect(diff?.text).toMatch(/sol-rsi-30-70-15m: v1 → v2/);
    // A second press saves nothing new.
    expect((await t.click(save)).map((m) => m.text)).toEqual([
      `${NAME} version 2 already has these parameters.`,
    ]);

    // The saved version backtests like any other.
    const [bt2] = await t.send(`/backtest ${NAME} 20240212-20240301`);
    const final = await t.waitForFinal(String(bt2?.progress?.key), 120_000);
    expect(final.progress?.state).toBe('succeeded');
    expect(final.text).toMatch(/^Backtest of sol-rsi-30-70-15m 20240212-20240301: done\./);
    // Its figures on the test part are the card's: the found values were written back as found.
    const rerun = await withPayload(
      t.app.models,
      await t.app.models.Backtest.findById(bt2?.progress?.key).lean(),
    );
    expect(rerun?.summary?.trades).toBe(o.test?.trades);
    expect(rerun?.summary?.profitTotal).toBeCloseTo(o.test?.profitTotal ?? Number.NaN, 6);

    // Back later: /show has the optimisation's card, even after a newer one was cancelled.
    await t.send(`/optimize ${NAME} 20240101-20240301`);
    const [again] = await fillForm(['-', '300', '-', '-', '-']);
    expect((await t.send('cancel my optimisation'))[0]?.progress).toMatchObject({ state: 'cancelled' });
    const shown = await t.send(`/show ${NAME}`);
    expect(shown.map((m) => m.text)).toEqual(
      expect.arrayContaining([
        `Latest optimisation of ${NAME} v1 20240101-20240301:`,
        `A newer optimisation of ${NAME} v2 20240101-20240301: cancelled.`,
      ]),
    );
    // The card is the finished run's (six epochs), with its Save and Optimise again.
    const latest = shown.find((m) => m.text.startsWith('Latest optimisation'));
    const shownFields = Object.fromEntries((latest?.card?.fields ?? []).map((f) => [f.name, f.value]));
    expect(shownFields.Search).toMatch(/^6 of 6 epochs of Freqtrade's hyperopt/);
    expect(latest?.buttons?.map((b) => b.label)).toEqual(['Save as new version', 'Optimise again']);
    expect(again?.progress?.state).toBe('queued');
  }, 420_000);

  it('optimises pasted code that declares hyperopt parameters, and saves the found defaults into it', async () => {
    const [imported] = await t.send(`Tune this on SOL/USDT:\n\`\`\`python\n${TUNED}\`\`\``);
    expect(imported?.text).toMatch(/^Imported tuned-rsi as custom code/);
    const [form] = await t.send('/optimize tuned-rsi 20240101-20240301');
    expect(form?.text).toMatch(/- buy: the parameters it declares in the buy space/);
    const [queued] = await fillForm(['-', '12', 'profit', '-', '-']);
    const key = String(queued?.progress?.key);
    const done = await t.waitForFinal(key, 240_000);
    expect(done.progress?.state).toBe('succeeded');
    const o = OptimisationSchema.parse(
      (await withPayload(t.app.models, await t.app.models.Backtest.findById(key).lean()))?.optimisation,
    );
    expect(o.spaces).toEqual(['buy', 'sell']);
    const buy = Number(o.found.buy?.buy_rsi);
    const sell = Number(o.found.sell?.sell_rsi);
    expect(buy).toBeGreaterThanOrEqual(15);
    expect(sell).toBeLessThanOrEqual(85);
    const fields = Object.fromEntries((done.card?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Best parameters']).toContain(`buy_rsi: 30 → ${buy}`);
    const save = done.buttons?.find((b) => b.label === 'Save as new version')?.action ?? '';
    const [saved] = await t.click(save);
    expect(saved?.text).toMatch(/^Saved the optimised parameters as tuned-rsi version 2\./);
    // A second press saves nothing new.
    expect((await t.click(save)).map((m) => m.text)).toEqual([
      'tuned-rsi version 2 already has these parameters.',
    ]);
    const code = (await t.app.models.Strategy.findOne({ name: 'tuned-rsi' }).lean())?.code ?? '';
    expect(code).toContain(`buy_rsi = IntParameter(15, 45, default=${buy}, space="buy")`);
    expect(code).toContain(`sell_rsi = IntParameter(55, 85, default=${sell}, space="sell")`);
    expect(code.replace(/default=\d+/g, '')).toBe(TUNED.replace(/default=\d+/g, ''));
  }, 300_000);

  it('says why pasted code without hyperopt parameters can only tune its stop-loss and ROI', async () => {
    await t.send(`Plain on SOL/USDT:\n\`\`\`python\n${PLAIN}\`\`\``);
    const [form] = await t.send('/optimize plain-rsi');
    expect(form?.text).toContain(
      "plain-rsi declares no Freqtrade hyperopt parameters (IntParameter, DecimalParameter...), so its entry and exit can't be tuned, only the stop-loss and the ROI table.",
    );
    const [reply] = await fillForm(['buy', '-', '-', '-', '-']);
    expect(reply?.text).toMatch(/I can't tune "buy"\. Choose from: stoploss, roi\./);
  }, 120_000);

  it('offers only the spaces pasted code declares parameters in', async () => {
    const buyOnly = TUNED.replace('class TunedRsi', 'class BuyOnly')
      .replace(/ {4}sell_rsi = .*\n/, '')
      .replace('self.sell_rsi.value', '70');
    await t.send(`Buy side only on SOL/USDT:\n\`\`\`python\n${buyOnly}\`\`\``);
    const [form, first] = await t.send('/optimize buy-only');
    expect(form?.text).toContain('- buy: the parameters it declares in the buy space');
    expect(form?.text).not.toContain('- sell:');
    expect(first?.text).toContain('Now: buy');
    const [reply] = await fillForm(['sell', '-', '-', '-', '-']);
    expect(reply?.text).toMatch(/I can't tune "sell"\. Choose from: buy, stoploss, roi\./);
  }, 120_000);

  it('says why a crossover offers only its stop-loss and ROI', async () => {
    await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    const [form] = await t.send('/optimize btc-sma-20-50-1h 20240101-20240301');
    expect(form?.text).toContain('- stoploss: ');
    expect(form?.text).toContain(
      "- btc-sma-20-50-1h's signals have no levels to search (indicator windows such as the averages' periods are not tuned), so only its stop-loss and ROI table can be.",
    );
    expect((await t.send('cancel'))[0]?.text).toMatch(/cancel/i);
  }, 120_000);

  it('says what to write for answers it cannot read, and keeps nothing half-made', async () => {
    await t.send(`/optimize ${NAME} 20240101-20240301`);
    const [reply] = await fillForm(['rsi_window', '-', '-', '-', '-']);
    expect(reply?.text).toMatch(
      /I can't tune "rsi_window"\. Choose from: entry_level_1, exit_level_1, stoploss, roi/,
    );
    await t.send(`/optimize ${NAME} 20240101-20240301`);
    // Every mistake is named at once.
    const [all] = await fillForm(['-', '1.5', 'huber', '100', '-']);
    expect(all?.text).toBe(
      'The loss must be one of sharpe, sortino, calmar, profit, got "huber". Epochs must be a whole number from 1 to 500, got "1.5". The training share must be a whole number from 10 to 90, got "100". Nothing was queued.',
    );
    // A range too short to split is said before anything is queued.
    await t.send(`/optimize ${NAME} 20240101-20240105`);
    const [short] = await fillForm(['-', '5', '-', '-', '-']);
    expect(short?.text).toBe(
      'The range 20240101-20240105 is too short to split 70/30 into training and test parts of at least 3 days each. Use a longer range. Nothing was queued.',
    );
    // So is one that is long enough as typed but not where the data has candles (it ends 2025-12-31).
    await t.send(`/optimize ${NAME} 20251226-20260601`);
    const [cut] = await fillForm(['-', '5', '-', '-', '-']);
    expect(cut?.text).toBe(
      'The range 20251226-20251231 (the part of 20251226-20260601 with candles) is too short to split 70/30 into training and test parts of at least 3 days each. Use a longer range. Nothing was queued.',
    );
    const refused = ['20240101-20240105', '20251226-20251231', '20251226-20260601'];
    expect(
      await t.app.models.Backtest.countDocuments({ kind: 'optimise', timerange: { $in: refused } }),
    ).toBe(0);
    // A search that would need more than 6 hours is refused before it is queued.
    await t.send('/new BTC ETH SOL rsi 14 below 30 buy above 70 sell on 5m');
    await t.send('/optimize btc-eth-sol-rsi-30-70-5m 20230101-20251231');
    const [tooBig] = await fillForm(['-', '500', '-', '-', '-']);
    expect(tooBig?.text).toMatch(
      /^That search could need up to \d+(\.\d)? hours \(500 epochs, each a backtest of [\d,]+ candles\); an optimisation may take at most 6 hours\. .* Nothing was queued\.$/,
    );
    expect(
      await t.app.models.Backtest.countDocuments({ kind: 'optimise', timerange: '20230101-20251231' }),
    ).toBe(0);
    // A /robust range too short for its split is refused the same way.
    expect((await t.send(`/robust ${NAME} 20240101-20240105`))[0]?.text).toBe(
      'The range 20240101-20240105 is 4 days long: too short to split into in-sample and out-of-sample parts of at least 3 days. Use a longer range. Nothing was queued.',
    );
    expect(
      await t.app.models.Backtest.countDocuments({ kind: 'robustness', timerange: '20240101-20240105' }),
    ).toBe(0);
    expect(await t.send(`/optimize ${NAME} soon`)).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(/^Usage: \/optimize <name> \[YYYYMMDD-YYYYMMDD\]/),
      }),
    ]);
  }, 120_000);

  it('stops a running search from its Cancel button', async () => {
    await t.send(`/optimize ${NAME} 20240101-20241231`);
    const [queued] = await fillForm(['-', '400', '-', '-', '-']);
    const key = String(queued?.progress?.key);
    const running = await until(
      'the search to report an epoch',
      () => t.posted.find((m) => m.progress?.key === key && /epoch \d+ of 400/.test(m.text)),
      180_000,
    );
    const cancel = running.buttons?.find((b) => b.label === 'Cancel')?.action;
    if (!cancel) throw new Error(`no Cancel on ${JSON.stringify(running)}`);
    const [cancelled] = await t.click(cancel);
    expect(cancelled?.progress).toEqual({ key, state: 'cancelled', paced: true });
    await until(
      'the run to stop',
      () => t.logs.some((l) => l.event === 'optimise_cancelled_run' && l.backtestId === key),
      60_000,
    );
    expect((await t.app.models.Backtest.findById(key).lean())?.status).toBe('cancelled');
    expect(t.posted.filter((m) => m.progress?.key === key && m.progress.state === 'succeeded')).toEqual([]);
  }, 300_000);
});
