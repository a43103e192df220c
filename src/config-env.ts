// The environment as GenTrade reads it: every variable, its type, range and default, checked once by
// loadConfig (src/config.ts), which turns it into the Config everything else is given.
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const intWithDefault = (def: number, min: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: `must be a whole number ${min}..${max}` })
      .int({ error: `must be a whole number ${min}..${max}` })
      .min(min, { error: `must be a whole number ${min}..${max}` })
      .max(max, { error: `must be a whole number ${min}..${max}` })
      .default(def),
  );
const boolFlag = z.preprocess(
  emptyToUndefined,
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? undefined : ['1', 'true', 'yes'].includes(v))),
);

export const EnvSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_FILE: optionalString,
  GENTRADE_ROLE: z.preprocess(emptyToUndefined, z.enum(['all', 'bot', 'worker']).default('all')),
  GENTRADE_DATA_DIR: optionalString,
  GENTRADE_CONSOLE: boolFlag,
  MONGODB_URI: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  MONGODB_DB: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/)
      .default('gentrade'),
  ),
  FERRETDB_BIN: optionalString,
  FERRETDB_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(27117)),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  OPENAI_MODEL: z.preprocess(emptyToUndefined, z.string().default('gpt-4o-mini')),
  OPENAI_TIMEOUT_MS: intWithDefault(30_000, 1_000, 600_000),
  OPENAI_MAX_RETRIES: intWithDefault(2, 0, 10),
  FREQTRADE_RUNNER: z.preprocess(emptyToUndefined, z.enum(['local', 'docker']).default('local')),
  FREQTRADE_PYTHON: optionalString,
  FREQTRADE_ENGINE_DIR: optionalString,
  FREQTRADE_IMAGE: z.preprocess(emptyToUndefined, z.string().default('freqtradeorg/freqtrade:2026.9')),
  MARKET_DATA_DIR: optionalString,
  MARKETS_SNAPSHOT: optionalString,
  BACKTEST_TIMEOUT_MS: intWithDefault(600_000, 5_000, 6 * 3_600_000),
  BACKTEST_CONCURRENCY: intWithDefault(2, 1, 32),
  BACKTEST_DEFAULT_TIMERANGE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d{8}-\d{8}$/, 'must look like 20250101-20250701')
      .default('20250101-20251231'),
  ),
  STAKE_CURRENCY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Z]{2,10}$/)
      .default('USDT'),
  ),
  STARTING_BALANCE: intWithDefault(1000, 10, 100_000_000),
  JOBS_POLL_MS: intWithDefault(200, 50, 60_000),
  JOBS_LEASE_MS: intWithDefault(20_000, 2_000, 600_000),
  PATH: optionalString,
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_API_URL: z.preprocess(emptyToUndefined, z.url().default('https://discord.com/api')),
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: z.preprocess(emptyToUndefined, z.url().default('https://api.telegram.org')),
  TELEGRAM_WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
  ),
  TELEGRAM_WEBHOOK_PORT: intWithDefault(8443, 0, 65535),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: z.preprocess(emptyToUndefined, z.url().default('https://slack.com/api/')),
  SLACK_PORT: intWithDefault(3000, 0, 65535),
  HTTP_HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  HTTP_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  HTTP_TRUST_PROXY: optionalString,
  CLERK_PUBLISHABLE_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^pk_(test|live)_[A-Za-z0-9+/=_-]+$/, 'must look like pk_test_… or pk_live_…')
      .optional(),
  ),
  // A PEM public key; an env file often carries its line breaks as the two characters \n.
  CLERK_JWT_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((v) => v.replace(/\\n/g, '\n'))
      .refine(
        (v) => v.includes('-----BEGIN PUBLIC KEY-----'),
        'must be the PEM public key from the Clerk dashboard',
      )
      .optional(),
  ),
  CLERK_ISSUER: z.preprocess(emptyToUndefined, z.url().optional()),
  CLERK_AUTHORIZED_PARTIES: optionalString,
  CLERK_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must look like whsec_…')
      .optional(),
  ),
  CLERK_JS_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  LINK_CODE_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32 makes one)').optional(),
  ),
  REQUIRE_LINK: boolFlag,
  QUOTA_GUEST_BACKTESTS_PER_DAY: intWithDefault(10, 0, 100_000),
  QUOTA_GUEST_BACKTESTS_AT_ONCE: intWithDefault(2, 0, 1_000),
  QUOTA_GUEST_STRATEGIES_PER_HOUR: intWithDefault(10, 0, 100_000),
  QUOTA_GUEST_MESSAGES_PER_MINUTE: intWithDefault(30, 0, 100_000),
  QUOTA_LINKED_BACKTESTS_PER_DAY: intWithDefault(100, 0, 100_000),
  QUOTA_LINKED_BACKTESTS_AT_ONCE: intWithDefault(4, 0, 1_000),
  QUOTA_LINKED_STRATEGIES_PER_HOUR: intWithDefault(60, 0, 100_000),
  QUOTA_LINKED_MESSAGES_PER_MINUTE: intWithDefault(60, 0, 100_000),
});

export type Env = z.infer<typeof EnvSchema>;
