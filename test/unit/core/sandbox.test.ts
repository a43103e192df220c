// The real conversation core on a machine whose engine reports no OS sandbox: pasted code is refused
// before it reaches the engine, with a sentence naming the Docker runner; /help and the welcome say so
// in one line; with the sandbox in place, neither happens. Storage is never reached on these paths,
// so the services sit on a connection that is never opened; users, forms, agent and engine are in memory.
import mongoose, { Types } from 'mongoose';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { renderStrategy } from '../../../freqtrade/render.ts';
import { loadConfig } from '../../../src/config.ts';
import { type Conversation, createConversation } from '../../../src/core/conversation.ts';
import type { SandboxReport } from '../../../src/core/ports.ts';
import { announceSandbox } from '../../../src/core/sandbox.ts';
import type { IncomingEvent } from '../../../src/core/types.ts';
import { createBacktestService } from '../../../src/services/backtests.ts';
import { createMarketCatalog } from '../../../src/services/market-catalog.ts';
import { createStrategyService } from '../../../src/services/strategies.ts';
import { createModels } from '../../../src/storage/models.ts';
import type { StrategyValidator } from '../../../src/strategy/verdict.ts';

const ft = loadConfig({}).freqtrade;
if (!ft.marketsPath || !ft.marketDataDir) throw new Error('run node scripts/bootstrap.mjs first');

const PASTED = [
  '```python',
  'from freqtrade.strategy import IStrategy',
  '',
  'class Pasted(IStrategy):',
  '    timeframe = "1h"',
  '```',
].join('\n');
const NOTICE =
  'Strategy code runs without the OS sandbox here (turned off); pasted strategies are refused. Use the Docker runner (FREQTRADE_RUNNER=docker) for isolation.';

function core(report: SandboxReport | undefined) {
  const logger = pino({ level: 'silent' });
  const models = createModels(mongoose.createConnection());
  const catalog = createMarketCatalog({
    marketsPath: ft.marketsPath ?? '',
    dataDir: ft.marketDataDir ?? '',
    quote: 'USDT',
  });
  const strategies = createStrategyService({ models, catalog, logger, render: renderStrategy });
  const validated: string[] = [];
  const validator: StrategyValidator = {
    async validate(code) {
      validated.push(code);
      return { accepted: false, stage: 'static', violations: [] };
    },
  };
  let asked = 0;
  const conversation: Conversation = createConversation({
    strategies,
    backtests: createBacktestService({
      models,
      strategies,
      catalog,
      queue: {
        enqueue: () => Promise.resolve(),
        position: () => Promise.resolve(null),
        cancel: () => Promise.resolve(),
      },
      defaultTimerange: '20240101-20240401',
      logger,
    }),
    drafter: { draft: () => Promise.reject(new Error('no drafts in this test')) },
    catalog,
    validator,
    ...(report
      ? {
          sandbox: {
            known: () => (asked > 0 ? report : undefined),
            report: async () => {
              asked += 1;
              return report;
            },
          },
        }
      : {}),
    users: { resolve: async () => ({ id: new Types.ObjectId(), isNew: false }) },
    agent: {
      respond: async () => [{ text: 'agent' }],
      resume: async () => [],
      cancelPending: async () => [],
      focusOn: async () => undefined,
    },
    forms: {
      start: async () => ({ text: 'form' }),
      answer: async () => undefined,
      abandon: async () => undefined,
    },
    logger,
  });
  return { conversation, validated, known: () => asked > 0 };
}

const base = {
  address: { platform: 'test', conversationId: 'dm-me', userId: 'me' },
  sender: { platformUserId: 'me', displayName: 'me' },
  receivedAt: new Date(),
};
const paste: IncomingEvent = { ...base, kind: 'message', text: `import this\n${PASTED}` };
const help: IncomingEvent = { ...base, kind: 'command', name: 'help', args: '' };

describe('a machine without the OS sandbox', () => {
  it('refuses pasted code before the engine sees it, naming the Docker runner', async () => {
    const { conversation, validated } = core({ isolated: false, reason: 'turned off' });
    const [reply, ...more] = await conversation.handle(paste);
    expect(more).toEqual([]);
    expect(reply?.text).toBe(
      "I can't import pasted strategies here: strategy code runs without the OS sandbox on this machine (turned off), so pasted code is refused and nothing was saved. Use the Docker runner (FREQTRADE_RUNNER=docker) for isolation. Strategies made from a description still work.",
    );
    expect(validated).toEqual([]);
  });

  it('says so in one line of /help once the engine has reported', async () => {
    const { conversation } = core({ isolated: false, reason: 'turned off' });
    // Before the engine started, /help does not wait for it.
    expect((await conversation.handle(help))[0]?.text).not.toContain('OS sandbox');
    await conversation.handle(paste);
    const text = (await conversation.handle(help))[0]?.text ?? '';
    expect(text.split('\n').filter((line) => line.includes('OS sandbox'))).toEqual([NOTICE]);
    expect(text.endsWith(NOTICE)).toBe(true);
  });

  it('passes pasted code on to validation and says nothing in /help when the sandbox holds', async () => {
    const { conversation, validated, known } = core({ isolated: true, reason: null });
    const [reply] = await conversation.handle(paste);
    expect(reply?.text).toContain('rejected at the static stage');
    expect(validated).toHaveLength(1);
    expect(known()).toBe(true);
    expect((await conversation.handle(help))[0]?.text).not.toContain('sandbox');
  });

  it('leaves imports to the validator where no engine report exists (the Docker runner)', async () => {
    const { conversation, validated } = core(undefined);
    await conversation.handle(paste);
    expect(validated).toHaveLength(1);
    expect((await conversation.handle(help))[0]?.text).not.toContain('sandbox');
  });
});

describe('the start', () => {
  async function announce(report: () => Promise<SandboxReport>) {
    const logs: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const printed: string[] = [];
    await announceSandbox({ report, known: () => undefined }, { logger, print: (l) => printed.push(l) });
    return { logs, printed };
  }

  it('warns in the log and on the terminal when the engine has no OS sandbox', async () => {
    const { logs, printed } = await announce(async () => ({ isolated: false, reason: 'turned off' }));
    expect(printed).toEqual([`gentrade: warning: ${NOTICE}`]);
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, msg: NOTICE }));
  });

  it('prints nothing when the sandbox holds, and survives an engine that does not start', async () => {
    expect((await announce(async () => ({ isolated: true, reason: null }))).printed).toEqual([]);
    const failed = await announce(() => Promise.reject(new Error('no python')));
    expect(failed.printed).toEqual([]);
    expect(failed.logs.map((l) => l.level)).toEqual([40]);
  });
});
