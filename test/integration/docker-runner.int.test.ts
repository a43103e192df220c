// Pasted code with the Docker runner (FREQTRADE_RUNNER=docker), end to end through the real app,
// against a Docker Engine API peer on loopback (test/support/peers/docker-engine): a community-style
// strategy is validated in a container (the engine's one-shot `validate`), imported, then backtested
// in a container; hostile code is refused from inside the container; the peer denies any container
// created without the isolation options, so these tests fail when containerOptions loses one.
//
// What this shows is our wiring against Docker's API: the requests dockerode sends, the options they
// carry, the engine's command and request as the container would get them, Docker's log framing,
// exit codes, kills and removal. It does not show Docker's isolation itself: no Docker engine runs on
// this machine, and the peer runs the container's command here, with the bootstrap's venv, enforcing
// no mount, user or limit (that is Docker's part, see README "What protects the machine").
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerOptions } from '../../freqtrade/docker/container.ts';
import { createDockerValidator } from '../../freqtrade/docker/validator.ts';
import { loadConfig } from '../../src/config.ts';
import { isAppError } from '../../src/errors.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type DockerEnginePeer, startDockerEnginePeer } from '../support/peers/docker-engine/index.ts';
import { until } from '../support/wait.ts';

const IMAGE = 'freqtradeorg/freqtrade:2026.9';
const DIR = path.resolve('freqtrade/engine/tests/strategies');
const source = (file: string) => readFileSync(path.join(DIR, `${file}.py`), 'utf8');
const fenced = (code: string) => `\`\`\`python\n${code}\`\`\``;
const ft = loadConfig({}).freqtrade;

let peer: DockerEnginePeer;
let docker: Docker;
let t: TestApp;
beforeAll(async () => {
  if (!ft.python || !ft.marketDataDir || !ft.marketsPath) throw new Error('run npm run bootstrap first');
  peer = await startDockerEnginePeer({ python: ft.python, images: [IMAGE] });
  docker = new Docker({ ...peer.endpoint, protocol: 'http' });
  t = await startTestApp({ FREQTRADE_RUNNER: 'docker', FREQTRADE_IMAGE: IMAGE }, { test: { docker } });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await peer?.close();
});

const ran = (command: 'validate' | 'backtest') =>
  peer.containers().filter((c) => c.command.includes(`gentrade_engine ${command} <`));

describe('pasted code with the Docker runner', () => {
  it('imports a community-style strategy validated in a container, then backtests it in one', async () => {
    const [reply, ...rest] = await t.send(
      `Here is my strategy:\n${fenced(source('community_qtpylib_bands'))}`,
    );
    expect(rest).toEqual([]);
    expect(reply?.text).toMatch(
      /^Imported qtpylib-bands-cross as custom code\. Loads in Freqtrade; \d+ trades/,
    );
    expect(reply?.card?.title).toBe('qtpylib-bands-cross (v1)');
    const [validation] = ran('validate');
    expect(validation).toMatchObject({ image: IMAGE, state: 'exited', exitCode: 0, removed: true });
    expect(validation?.body.HostConfig?.Binds?.at(-1)).toMatch(
      /\/validations\/[0-9a-f-]{36}:\/gentrade\/results:rw$/,
    );
    // The per-validation folder is gone once the verdict is read.
    expect(await readdir(path.join(t.store.dataDir, 'validations'))).toEqual([]);

    const [queued] = await t.send('/backtest qtpylib-bands-cross 20240101-20240301');
    const key = queued?.progress?.key;
    if (!key) throw new Error(`not queued: ${queued?.text}`);
    const final = await t.waitForFinal(key, 300_000);
    expect(final.progress?.state).toBe('succeeded');
    expect(final.card?.title).toBe('Backtest: qtpylib-bands-cross 20240101-20240301');
    expect(final.card?.description).toBe('BTC/USDT on 15m');
    expect(ran('backtest')).toEqual([expect.objectContaining({ exitCode: 0, removed: true })]);
    // The engine's phases came out of the container as it ran (its log followed), onto the message.
    const states = t.posted.filter((m) => m.progress?.key === key).map((m) => m.text);
    expect(states.some((s) => /: (loading data|computing indicators|backtesting)\.\.\./.test(s))).toBe(true);

    // Asked again: answered from the result cache, keyed on the image's id, with no container started.
    const [again] = await t.send('/backtest qtpylib-bands-cross 20240101-20240301');
    expect(again?.text).toBe('Backtest of qtpylib-bands-cross 20240101-20240301: done (from the cache).');
    expect(again?.card?.fields.find((f) => f.name === 'Trades')).toEqual(
      final.card?.fields.find((f) => f.name === 'Trades'),
    );
    expect(ran('backtest')).toHaveLength(1);
  }, 360_000);

  it('says why a pasted strategy never traded: the diagnosis comes with the container verdict', async () => {
    const [reply] = await t.send(`import this for ETH\n${fenced(source('zero_trade_custom'))}`);
    expect(reply?.text).toContain('Imported zero-trade-custom as custom code.');
    expect(reply?.text).toContain('Loads in Freqtrade, but made no trades on the last');
    expect(reply?.text).toContain('enter_long was set on 0 of');
  }, 120_000);

  it('refuses hostile code from inside the container, storing nothing', async () => {
    const before = await t.app.models.Strategy.countDocuments();
    const validations = ran('validate').length;
    const hostile = source('ema_rsi_pullback')
      .replace('import talib.abstract as ta', 'import os\nimport talib.abstract as ta')
      .replace('return dataframe', 'os.listdir(".")\n        return dataframe')
      .replace('class EmaRsiPullback', 'class SneakyPullback');
    const [reply] = await t.send(fenced(hostile));
    expect(reply?.text).toMatch(/^I can't import that code: it was rejected at the static stage/);
    expect(reply?.text).toContain("Importing 'os' is not allowed");
    expect(ran('validate')).toHaveLength(validations + 1);
    expect(await t.app.models.Strategy.countDocuments()).toBe(before);
  }, 120_000);
});

describe('cancelling a backtest the Docker runner runs', () => {
  it('kills its container (the engine process ends) and removes it; the card says cancelled', async () => {
    await t.send('/new BTC SMA 20/50 cross on 5m with a 5% stop');
    const before = ran('backtest').length;
    const [queued] = await t.send('/backtest btc-sma-20-50-5m 20240101-20241231');
    const key = String(queued?.progress?.key);
    const container = await until('its container to run', () =>
      ran('backtest')
        .slice(before)
        .find((c) => c.state === 'running'),
    );
    const cancel = queued?.buttons?.find((b) => b.label === 'Cancel')?.action ?? '';
    const [reply] = await t.click(cancel);
    expect(reply?.progress).toEqual({ key, state: 'cancelled', paced: true });
    const gone = await until('the container killed and removed', () =>
      peer.containers().find((c) => c.id === container.id && c.removed),
    );
    // 137: killed (SIGKILL), not run to its end.
    expect(gone).toMatchObject({ killed: true, state: 'exited', exitCode: 137 });
    expect(t.posted.filter((m) => m.progress?.key === key && m.card)).toEqual([]);
  }, 120_000);
});

describe('the Docker Engine API peer', () => {
  const base = containerOptions({
    image: IMAGE,
    command: 'validate',
    runDir: '/srv/run',
    engineDir: '/srv/engine',
    marketDataDir: '/srv/data/binance',
    marketsPath: '/srv/data/markets.json',
  });
  const host = base.HostConfig ?? {};
  const broken: [string, Docker.ContainerCreateOptions, RegExp][] = [
    ['network', { ...base, HostConfig: { ...host, NetworkMode: 'bridge' } }, /NetworkMode is 'bridge'/],
    [
      'root filesystem',
      { ...base, HostConfig: { ...host, ReadonlyRootfs: false } },
      /root filesystem is writable/,
    ],
    ['user', { ...base, User: '0:0' }, /user '0:0' is root/],
    ['capabilities', { ...base, HostConfig: { ...host, CapDrop: [] } }, /capabilities are not all dropped/],
    ['privileges', { ...base, HostConfig: { ...host, SecurityOpt: [] } }, /no-new-privileges is not set/],
    ['memory', { ...base, HostConfig: { ...host, Memory: 0 } }, /memory is not limited/],
    ['tasks', { ...base, HostConfig: { ...host, PidsLimit: 0 } }, /tasks are not limited/],
  ];

  it.each(broken)(
    'denies a container that does not isolate its %s, as Docker words a denial',
    async (_what, options, why) => {
      const refused = docker.createContainer(options);
      await expect(refused).rejects.toMatchObject({ statusCode: 403 });
      await expect(refused).rejects.toThrow(/authorization denied by plugin gentrade-isolation: /);
      await expect(refused).rejects.toThrow(why);
    },
  );

  it('accepts the options containerOptions builds, and answers unknown images and containers as Docker does', async () => {
    const container = await docker.createContainer(base);
    await container.remove({ force: true });
    await expect(docker.createContainer({ ...base, Image: 'nope:1' })).rejects.toThrow(
      /No such image: nope:1/,
    );
    await expect(docker.getContainer('0123abcd').start()).rejects.toMatchObject({ statusCode: 404 });
    await expect(container.wait()).rejects.toThrow(/No such container/);
  });

  it('kills a validation container at its wall clock; the validator says so and leaves nothing behind', async () => {
    const workRoot = await mkdtemp(path.join(os.tmpdir(), 'gentrade-docker-validations-'));
    const validator = createDockerValidator({
      image: IMAGE,
      engineDir: ft.engineDir,
      marketDataDir: ft.marketDataDir ?? '',
      marketsPath: ft.marketsPath ?? '',
      workRoot,
      logger: pino({ level: 'silent' }),
      docker,
      // Shorter than Python and Freqtrade take to import: the kill comes before any verdict.
      timeoutMs: 1_500,
    });
    const failed = await validator.validate(source('ema_rsi_pullback'), {}).catch((err: unknown) => err);
    expect(isAppError(failed) && failed.code).toBe('ENGINE_TIMEOUT');
    expect(isAppError(failed) && failed.userMessage).toContain(
      'The validation took too long and was stopped',
    );
    const last = peer.containers().at(-1);
    expect(last).toMatchObject({ killed: true, exitCode: 137, removed: true });
    expect(await readdir(workRoot)).toEqual([]);
    await rm(workRoot, { recursive: true, force: true });
  });
});
