// Credentials never reach a log line, even where no field-based redaction looks: grammY's network
// errors quote the request URL, bot token included, inside the error pino serializes.
import { Bot } from 'grammy';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { configSecrets, loadConfig } from '../../src/config.ts';
import { logOptions, redactSecrets } from '../../src/logger.ts';

const TOKEN = '123456:SECRET-token_abc';

function capture(secrets: string[]) {
  const lines: string[] = [];
  const logger = pino(logOptions({ level: 'info', secrets }), { write: (l: string) => void lines.push(l) });
  return { logger, lines };
}

describe('log redaction', () => {
  it("keeps a Telegram bot token out of grammY's network errors", async () => {
    const bot = new Bot(TOKEN, { client: { apiRoot: 'http://127.0.0.1:9' } });
    const err = await bot.api.getMe().catch((e: unknown) => e);
    expect(JSON.stringify(pino.stdSerializers.err(err instanceof Error ? err : new Error('none')))).toContain(
      TOKEN,
    ); // the leak this guards against is real
    const { logger, lines } = capture([TOKEN]);
    logger.warn({ err }, 'telegram polling failed');
    expect(lines.join('')).not.toContain(TOKEN);
    expect(lines.join('')).toContain('[redacted]');
  });

  it('collects every credential from the configuration, including a MongoDB password', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      SLACK_BOT_TOKEN: 'xoxb-1234567890-abcdef',
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      OPENAI_API_KEY: 'sk-test-0123456789',
      MONGODB_URI: 'mongodb://gentrade:p%40ss-word-123@db.example:27017/gentrade',
    });
    expect(configSecrets(config).sort()).toEqual(
      [TOKEN, 'xoxb-1234567890-abcdef', 'signing-secret-value', 'sk-test-0123456789', 'p@ss-word-123'].sort(),
    );
  });

  it('redacts JSON-escaped spellings and leaves short values alone', () => {
    const redact = redactSecrets(['a"quoted\\secret', 'short']);
    expect(redact(JSON.stringify({ msg: 'a"quoted\\secret and short' }))).toBe(
      JSON.stringify({ msg: '[redacted] and short' }),
    );
  });
});
