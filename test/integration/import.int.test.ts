// Importing Freqtrade strategies through the real core, database and engine: our real-world-style
// strategies pasted as code blocks are validated, stored as custom code and backtested; hostile code
// and code that fails to load are refused with line and rule and nothing stored; replacing asks
// first and keeps the old version; rendered strategies pass the engine's checks before saving.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStrategy } from '../../freqtrade/render.ts';
import { decodeAction } from '../../src/core/actions.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { isAppError } from '../../src/errors.ts';
import { createStrategyService } from '../../src/services/strategies.ts';
import { parseStrategyText } from '../../src/strategy/parse/offline-parser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { sampleCatalog } from '../support/catalog.ts';

const DIR = path.resolve('freqtrade/engine/tests/strategies');
const REAL_WORLD = [
  ['bollinger_mfi_informative', 'BollingerMfiInformative', 'bollinger-mfi-informative', '1h'],
  ['donchian_atr_breakout', 'DonchianAtrBreakout', 'donchian-atr-breakout', '1h'],
  ['ema_rsi_pullback', 'EmaRsiPullback', 'ema-rsi-pullback', '1h'],
  ['macd_adx_daily_trend', 'MacdAdxDailyTrend', 'macd-adx-daily-trend', '1h'],
  ['stoch_cci_scalper', 'StochCciScalper', 'stoch-cci-scalper', '15m'],
] as const;
const source = (file: string) => readFileSync(path.join(DIR, `${file}.py`), 'utf8');
const fenced = (code: string, lang = 'python') => `\`\`\`${lang}\n${code}\`\`\``;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const strategyCount = () => t.app.models.Strategy.countDocuments();
const press = (msg: OutgoingMessage | undefined, label: string) => {
  const button = msg?.buttons?.find((b) => b.label === label);
  if (!button) throw new Error(`no button ${label} on ${JSON.stringify(msg)}`);
  return t.click(button.action);
};

describe('pasting a strategy', () => {
  it.each(REAL_WORLD)(
    '%s: imported as custom code, then backtested like any other',
    async (file, className, name, timeframe) => {
      const code = source(file);
      const [reply, ...rest] = await t.send(`Here is my strategy:\n${fenced(code)}`);
      expect(rest).toEqual([]);
      expect(reply?.text).toMatch(new RegExp(`^Imported ${name} as custom code\\. Loads in Freqtrade`));
      expect(reply?.text).toMatch(/on the last \d+ days of data \(\d{8}-\d{8}, BTC\/USDT\)/);
      expect(reply?.card?.title).toBe(`${name} (v1)`);
      expect(reply?.card?.fields).toContainEqual({ name: 'Timeframe', value: timeframe, inline: true });
      expect(reply?.card?.fields.find((f) => f.name === 'Code')?.value).toContain(`class ${className}`);
      expect(reply?.buttons?.map((b) => b.label)).toEqual(['Backtest', 'Show code', 'Delete']);
      const doc = await t.app.models.Strategy.findOne({ name }).lean();
      expect(doc).toMatchObject({ kind: 'custom', spec: null, className, timeframe, pairs: ['BTC/USDT'] });
      expect(doc?.code).toBe(code.endsWith('\n') ? code : `${code}\n`);

      const [queued] = await t.send(`/backtest ${name} 20240101-20240401`);
      expect(queued?.text).toBe(`Backtest of ${name} 20240101-20240401 on BTC/USDT (${timeframe}): queued.`);
      const key = queued?.progress?.key;
      if (!key) throw new Error('no progress key');
      const final = await t.waitForFinal(key, 300_000);
      expect(final.progress?.state).toBe('succeeded');
      expect(final.card?.title).toBe(`Backtest: ${name} 20240101-20240401`);
      expect(final.card?.description).toBe(`BTC/USDT on ${timeframe}`);
    },
    360_000,
  );

  it('shows the code, lists it as custom, and explains that /edit means pasting a new version', async () => {
    const doc = await t.app.models.Strategy.findOne({ name: 'ema-rsi-pullback' }).lean();
    const [listed] = await t.send('/strategies');
    expect(listed?.text).toContain('- ema-rsi-pullback (v1, 1h, BTC/USDT, custom code)');
    const [code] = await t.click(`code|${doc?._id.toString()}`);
    expect(code?.code?.content).toBe(doc?.code);
    expect(code?.code?.filename).toBe('EmaRsiPullback.py');
    const [edit] = await t.send('/edit ema-rsi-pullback');
    expect(edit?.form).toBeUndefined();
    expect(edit?.text).toContain('ema-rsi-pullback is custom Freqtrade code (class EmaRsiPullback)');
    expect(edit?.text).toContain('paste the new version');
    expect(await t.app.models.FormSession.countDocuments()).toBe(0);
  });

  it('uses the pairs named around the code and says why a strategy never traded', async () => {
    const [reply] = await t.send(`import this for ETH please\n${fenced(source('zero_trade_custom'), '')}`);
    expect(reply?.text).toContain('Imported zero-trade-custom as custom code.');
    expect(reply?.text).toContain('Loads in Freqtrade, but made no trades on the last');
    expect(reply?.text).toContain('ETH/USDT');
    expect(reply?.text).toContain('enter_long was set on 0 of');
    const doc = await t.app.models.Strategy.findOne({ name: 'zero-trade-custom' }).lean();
    expect(doc?.pairs).toEqual(['ETH/USDT']);
  });

  it('says which settings it filled in for code that leaves them to the config, and backtests with them', async () => {
    const [reply] = await t.send(fenced(source('community_config_settings')));
    expect(reply?.text).toMatch(
      /^Imported config-settings-left-out as custom code\. Loads in Freqtrade; \d+ trades/,
    );
    const lines = reply?.text.split('\n') ?? [];
    expect(lines).toContain("The strategy sets no timeframe; GenTrade used 5m, Freqtrade's default.");
    expect(lines.some((l) => l.startsWith('The strategy sets no minimal_roi; GenTrade used {"0": 10}'))).toBe(
      true,
    );
    expect(lines.some((l) => l.startsWith('The strategy sets no stoploss; GenTrade used -10%'))).toBe(true);
    expect(reply?.card?.fields).toContainEqual({ name: 'Timeframe', value: '5m', inline: true });
    const [queued] = await t.send('/backtest config-settings-left-out 20240101-20240201');
    const key = queued?.progress?.key;
    if (!key) throw new Error(`not queued: ${queued?.text}`);
    const final = await t.waitForFinal(key, 300_000);
    expect(final.progress?.state).toBe('succeeded');
    expect(final.card?.description).toBe('BTC/USDT on 5m');
  }, 360_000);

  it('imports an interface 2 strategy with no minimal_roi and says so', async () => {
    const [reply] = await t.send(fenced(source('community_legacy_v2')));
    expect(reply?.text).toMatch(/^Imported legacy-macd-v2 as custom code\. Loads in Freqtrade/);
    expect(reply?.text).toContain('The strategy sets no minimal_roi; GenTrade used {"0": 10}');
    expect(reply?.text).toContain("The strategy uses Freqtrade's interface version 2");
  }, 120_000);

  it('refuses hostile code with the line and rule, storing nothing', async () => {
    const before = await strategyCount();
    const hostile = source('ema_rsi_pullback')
      .replace('import talib.abstract as ta', 'import os\nimport talib.abstract as ta')
      .replace('return dataframe', 'eval("1 + 1")\n        os.listdir(".")\n        return dataframe')
      .replace('class EmaRsiPullback', 'class SneakyPullback');
    const [reply] = await t.send(fenced(hostile));
    expect(reply?.text).toMatch(/^I can't import that code: it was rejected at the static stage/);
    const lineOf = (needle: string) => hostile.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(reply?.text).toContain(`line ${lineOf('import os')}: Importing 'os' is not allowed`);
    expect(reply?.text).toContain(
      `line ${lineOf('eval(')}: 'eval' is not allowed in a strategy. (forbidden-name)`,
    );
    expect(reply?.text).toContain('(forbidden-import)');
    expect(await strategyCount()).toBe(before);
    expect(await t.app.models.Strategy.findOne({ className: 'SneakyPullback' })).toBeNull();
  });

  it('refuses code that fails to load in Freqtrade, at the load stage', async () => {
    const before = await strategyCount();
    const broken = source('ema_rsi_pullback')
      .replace('class EmaRsiPullback', 'class BrokenPullback')
      .replace('stoploss = -0.08', 'stoploss = 0.08');
    const [reply] = await t.send(fenced(broken));
    expect(reply?.text).toMatch(/^I can't import that code: it was rejected at the load stage/);
    expect(reply?.text).toContain('0.08 is greater than or equal to the maximum of 0. (load-error)');
    expect(await strategyCount()).toBe(before);
  });

  it('asks before replacing a strategy of the same name; Confirm saves version 2 and /diff shows it', async () => {
    const changed = source('ema_rsi_pullback').replace('default=40', 'default=35');
    const [cancelAsk] = await t.send(fenced(changed));
    expect(cancelAsk?.text).toMatch(
      /^You already have ema-rsi-pullback \(v1, custom code\)\. Replace it with the pasted code as version 2\?/,
    );
    expect(cancelAsk?.buttons?.map((b) => b.label)).toEqual(['Replace ema-rsi-pullback', 'Keep it']);
    expect((await press(cancelAsk, 'Keep it'))[0]?.text).toBe('Cancelled; nothing was changed.');
    expect((await t.app.models.Strategy.findOne({ name: 'ema-rsi-pullback' }).lean())?.version).toBe(1);

    const [ask] = await t.send(`Updated version:\n${fenced(changed)}`);
    const [saved] = await press(ask, 'Replace ema-rsi-pullback');
    expect(saved?.text).toBe(
      'Replaced ema-rsi-pullback with the pasted code as version 2; v1 is kept (/diff ema-rsi-pullback shows the changes).',
    );
    const doc = await t.app.models.Strategy.findOne({ name: 'ema-rsi-pullback' }).lean();
    expect(doc).toMatchObject({ version: 2, kind: 'custom', code: changed });
    const v1 = await t.app.models.StrategyVersion.findOne({ strategyId: doc?._id, version: 1 }).lean();
    expect(v1).toMatchObject({ kind: 'custom', className: 'EmaRsiPullback', timeframe: '1h' });
    expect(v1?.code).toContain('default=40');
    // The Confirm button works once.
    expect((await press(ask, 'Replace ema-rsi-pullback'))[0]?.text).toContain(
      'has expired or was already done',
    );

    const [diff] = await t.send('/diff ema-rsi-pullback');
    expect(diff?.text).toContain('ema-rsi-pullback: v1 → v2');
    expect(diff?.text).toContain('Custom code: the changes are in the code diff.');
    expect(diff?.code?.content).toContain('-    buy_rsi = IntParameter(25, 45, default=40, space="buy")');
    expect(diff?.code?.content).toContain('+    buy_rsi = IntParameter(25, 45, default=35, space="buy")');
    const action = decodeAction(ask?.buttons?.[0]?.action ?? '');
    expect(action.name).toBe('importConfirm');
  });

  it('refuses a paste over 1024 KB with a sentence', async () => {
    const before = await strategyCount();
    const padding = '# padding line to make the file large\n'.repeat(28000);
    const [reply] = await t.send(fenced(`${padding}${source('ema_rsi_pullback')}`));
    expect(reply?.text).toMatch(/^That code is \d+ KB; I can import strategies up to 1024 KB\./);
    expect(await strategyCount()).toBe(before);
  });

  it('leaves messages without code to the agent', async () => {
    const [reply] = await t.send('list my strategies');
    expect(reply?.text).toContain('Your strategies:');
  });
});

describe('rendered strategies pass the pipeline too', () => {
  it('creates spec strategies after the static and load checks', async () => {
    const [created] = await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    expect(created?.text).toContain('Created btc-sma-20-50-1h.');
    const doc = await t.app.models.Strategy.findOne({ name: 'btc-sma-20-50-1h' }).lean();
    expect(doc?.kind).toBe('spec');
  });

  it('refuses to save rendered code the engine rejects, logging the verdict', async () => {
    const catalog = sampleCatalog();
    const logs: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    // A renderer bug, simulated: the code reaching the engine declares a positive stop-loss.
    const validator = {
      validate: (code: string, opts: Parameters<typeof t.app.validator.validate>[1]) =>
        t.app.validator.validate(code.replace(/stoploss = -0\.\d+/, 'stoploss = 0.5'), opts),
    };
    const strategies = createStrategyService({
      models: t.app.models,
      catalog,
      validator,
      logger,
      render: renderStrategy,
    });
    const parsed = parseStrategyText('ETH EMA 12/26 cross on 4h with a 3% stop');
    const owner = (await t.app.models.Strategy.findOne({ name: 'btc-sma-20-50-1h' }).lean())?.ownerId;
    if (!parsed.ok || !owner) throw new Error('setup failed');
    const before = await strategyCount();
    const err = await strategies
      .create(owner, { name: 'buggy', spec: parsed.spec, description: '' })
      .catch((e: unknown) => e);
    expect(isAppError(err) && err.userMessage).toContain("that's a bug on our side and it has been logged");
    expect(await strategyCount()).toBe(before);
    const logged = logs.find((l) => l.event === 'render_rejected');
    expect(logged?.verdict).toMatchObject({ accepted: false, stage: 'load' });
  });
});
