// `npm start` runs every configured platform; one that can't be reached at start doesn't take the
// others down and is started once it is back, while one that refuses our credentials is reported
// and left alone. Driven through the real Telegram adapter against the Bot API peer.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { logOptions } from '../../src/logger.ts';
import { startPlatforms } from '../../src/platforms.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { dmChat, TOKEN, user } from '../support/peers/telegram/harness.ts';
import { startTelegramPeer, type TelegramPeer } from '../support/peers/telegram/peer.ts';
import { until } from '../support/wait.ts';

let t: TestApp;
let peer: TelegramPeer;
const stops: Array<() => Promise<void>> = [];
beforeAll(async () => {
  t = await startTestApp();
  peer = await startTelegramPeer({ token: TOKEN });
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await peer?.close();
  await t?.stop();
});

function capture(secrets: string[]) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(logOptions({ level: 'info', secrets }), {
    write: (line: string) => void lines.push(JSON.parse(line)),
  });
  return { logger, lines };
}

describe('starting the platforms', () => {
  it('keeps starting a platform that is down at start without holding up the rest, and serves it once back', async () => {
    await peer.goDown();
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: peer.apiRoot });
    const { logger, lines } = capture([TOKEN]);
    const running = await startPlatforms(config, t.app, logger, { startWaitMs: 1000 });
    stops.push(...running.map((r) => () => r.stop()));
    expect(running.map((r) => r.platform)).toEqual(['telegram']);
    expect(lines.find((l) => l.msg === 'platform not started yet; still trying')).toMatchObject({
      platform: 'telegram',
    });
    expect(lines.some((l) => l.msg === 'platform started')).toBe(false);
    await peer.comeBack();
    await until('the retry to start telegram', () => lines.some((l) => l.msg === 'platform started'), 30_000);
    await until('the command menu', () => peer.commands().includes('help'));
    const u = user('p1');
    await peer.send({ chat: dmChat(u), from: u, text: '/help' });
    await until('the help reply', () => peer.messages().find((m) => m.text.includes('/new')));
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('reports a platform that refuses the credentials without retrying it', async () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '999:WRONG-token-xyz', TELEGRAM_API_ROOT: peer.apiRoot });
    const { logger, lines } = capture([]);
    const running = await startPlatforms(config, t.app, logger);
    stops.push(...running.map((r) => () => r.stop()));
    expect(lines.find((l) => l.msg === 'platform refused to start; fix its configuration')).toMatchObject({
      platform: 'telegram',
      retryInMs: null,
    });
  });
});
