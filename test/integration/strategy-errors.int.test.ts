// A strategy that raises during a real backtest (real app, real engine) with a ~300 KB message full
// of terminal escape codes and the machine's paths: the failure card the chat gets, and what /show
// says later, is a few clean lines without paths; the log keeps the whole text with the correlation id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_TEXT_LIMITS } from '../../freqtrade/user-text.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const ESC = '\x1b';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
// About 300 KB of message.
const REPEATS = 3500;

// Raised in populate_entry_trend, so the class loads and the backtest has started when it fails.
const HOSTILE = `
from freqtrade.strategy import IStrategy
from pandas import DataFrame

PIECE = "\\x1b[31;1mBOOM\\x1b[0m reading /root/.cache/gentrade/secret-folder/state.sqlite \\x1b]0;pwned\\x07\\x1b[2J\\n"


class LoudFailure(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 10}
    stoploss = -0.1

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        raise ValueError(PIECE * ${REPEATS})

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["exit_long"] = 0
        return dataframe
`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('an exception from strategy code', () => {
  it('reaches the chat capped and clean, and the log whole', async () => {
    await t.send('/help');
    const identity = await t.app.models.PlatformIdentity.findOne({ platformUserId: 'alice' }).lean();
    if (!identity) throw new Error('alice has not spoken yet');
    // Stored as an earlier import would have; what matters here is the real backtest.
    await t.app.strategies.createCustom(identity.userId, {
      name: 'loud-failure',
      description: 'Imported Freqtrade strategy LoudFailure',
      className: 'LoudFailure',
      code: HOSTILE,
      timeframe: '1h',
      pairs: ['BTC/USDT'],
    });
    const [queued] = await t.send('/backtest loud-failure 20240101-20240201');
    const key = queued?.progress?.key;
    if (!key) throw new Error(`not queued: ${queued?.text}`);
    const final = await t.waitForFinal(key, 300_000);
    expect(final.progress?.state).toBe('failed');
    const text = final.text;
    expect(text).toContain('ValueError: BOOM reading state.sqlite');
    expect(text).not.toContain(ESC);
    expect(text).not.toMatch(CONTROL);
    expect(text).not.toMatch(/pwned|\/root|\.cache|secret-folder/);
    // The strategy's own error, not the engine's: no "try again", just its capped sentence.
    expect(text).toContain('The strategy raised an error during the backtest');
    expect(text).not.toContain('The backtest engine failed');
    // Ours around it ("Backtest of ... failed: ...") plus the cap.
    expect(text.length).toBeLessThan(USER_TEXT_LIMITS.chars + 200);
    expect(text.split('\n').length).toBeLessThanOrEqual(USER_TEXT_LIMITS.lines);

    const [shown] = await t.send('/show loud-failure');
    const latest = shown?.card?.fields.map((f) => f.value).join('\n') ?? '';
    expect(latest).toContain('failed - ');
    expect(latest).not.toContain(ESC);

    const failed = t.logs.find((l) => l.event === 'backtest_failed' && l.backtestId === key);
    expect(failed?.correlationId).toEqual(expect.any(String));
    const logged = JSON.stringify(failed?.err);
    expect(logged.length).toBeGreaterThan(REPEATS * 80);
    expect(logged).toContain('\\u001b[31;1mBOOM');
    expect(logged).toContain('/root/.cache/gentrade/secret-folder/state.sqlite');
  }, 360_000);
});
