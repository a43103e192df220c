// The one place that reads process.env. Everything else receives its slice of `Config` as an argument.
// Paths to what the bootstrap built (FerretDB, the Freqtrade venv, sample data) default to the manifest
// it writes in .gentrade/bootstrap.json, so `npm start` needs no variables at all.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { parseTrustedProxies } from './trusted-proxies.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const BootstrapManifestSchema = z.object({
  ferretdbBin: z.string().nullable(),
  python: z.string(),
  engineDir: z.string(),
  dataDir: z.string(),
  marketsPath: z.string(),
  freqtradeVersion: z.string(),
});
export type BootstrapManifest = z.infer<typeof BootstrapManifestSchema>;

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

/** Per-user limits; 0 turns one off (nothing of that kind is allowed). */
export type Quotas = {
  backtestsPerDay: number;
  backtestsAtOnce: number;
  strategiesPerHour: number;
  messagesPerMinute: number;
};

const EnvSchema = z.object({
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
  JOBS_POLL_MS: intWithDefault(250, 50, 60_000),
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

export type Config = {
  env: 'development' | 'production' | 'test';
  role: 'all' | 'bot' | 'worker';
  log: { level: string; file: string | undefined };
  dataDir: string;
  console: boolean | undefined;
  mongo: { uri: string | undefined; dbName: string; ferretdbBin: string | undefined; ferretdbPort: number };
  openai: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    timeoutMs: number;
    maxRetries: number;
  };
  freqtrade: {
    runner: 'local' | 'docker';
    python: string | undefined;
    engineDir: string;
    /** PATH handed to the engine process. */
    path: string;
    image: string;
    marketDataDir: string | undefined;
    marketsPath: string | undefined;
    timeoutMs: number;
    stakeCurrency: string;
    startingBalance: number;
  };
  backtest: { concurrency: number; defaultTimerange: string };
  /**
   * pollMs: how often a worker looks for jobs when no change stream wakes it; leaseMs: how long a
   * running job's lock lasts unless its worker renews it (every quarter), so how soon a dead worker's
   * job is taken over.
   */
  jobs: { pollMs: number; leaseMs: number };
  /** The app's one HTTP server (health check, link page, webhooks); absent unless HTTP_PORT is set. */
  http:
    | {
        port: number;
        host: string;
        publicUrl: string;
        /**
         * The proxies (IPs, CIDR ranges, loopback/linklocal/uniquelocal) whose X-Forwarded-For is
         * believed, for the client address rate limits use; empty: the peer's own address.
         */
        trustProxy: string[];
      }
    | undefined;
  /**
   * Account linking through Clerk; absent unless its keys are set. Session tokens are verified
   * networklessly with `jwtKey`; `webhookSecret` absent means /webhooks/clerk is not served.
   */
  clerk:
    | {
        publishableKey: string;
        jwtKey: string;
        issuer: string;
        authorizedParties: string[];
        webhookSecret: string | undefined;
        /** Clerk's browser script; by default the one the publishable key's Frontend API serves. */
        scriptUrl: string;
        /** The key link codes are stored under; unset: the app makes one in GENTRADE_DATA_DIR/secrets. */
        linkCodeSecret: string | undefined;
      }
    | undefined;
  /** Guests (no linked account) are refused when true. */
  requireLink: boolean;
  quotas: { guest: Quotas; linked: Quotas };
  /** A platform appears here only when its credentials are configured. */
  platforms: {
    discord?: { token: string; applicationId: string | undefined; apiUrl: string };
    telegram?: {
      token: string;
      apiRoot: string;
      /**
       * Set: webhook mode with the secret token checked, on the app's HTTP server at the URL's path when
       * HTTP_PORT is set, else on a server of its own on `port`; unset: long polling.
       */
      webhook: { url: string; secret: string; port: number; host: string } | undefined;
    };
    slack?: {
      botToken: string;
      signingSecret: string | undefined;
      /** Set (xapp-…): Socket Mode; unset: HTTP receiver on `port` with signatures verified. */
      appToken: string | undefined;
      apiUrl: string;
      port: number;
      host: string;
    };
  };
};

const CLERK_KEYS = [
  'CLERK_PUBLISHABLE_KEY',
  'CLERK_JWT_KEY',
  'CLERK_ISSUER',
  'CLERK_AUTHORIZED_PARTIES',
] as const;

/** Clerk's Frontend API host, which the publishable key carries base64-encoded with a trailing '$'. */
function frontendApi(publishableKey: string): string | undefined {
  const decoded = Buffer.from(publishableKey.replace(/^pk_(test|live)_/, ''), 'base64').toString('utf8');
  return /^[A-Za-z0-9.-]+\$$/.test(decoded) ? decoded.slice(0, -1) : undefined;
}

/** All four linking keys or none; the webhook secret alone is refused too. */
function clerkConfig(e: z.infer<typeof EnvSchema>, problems: string[]): Config['clerk'] {
  const missing = CLERK_KEYS.filter((k) => !e[k]);
  if (missing.length === CLERK_KEYS.length) {
    if (e.CLERK_WEBHOOK_SECRET) problems.push(`${CLERK_KEYS.join(', ')}: required with CLERK_WEBHOOK_SECRET`);
    return undefined;
  }
  // CLERK_AUTHORIZED_PARTIES missing alone gets a sentence of its own (authorizedParties).
  if (missing.some((k) => k !== 'CLERK_AUTHORIZED_PARTIES')) {
    problems.push(`${missing.join(', ')}: required for account linking (the other CLERK_ keys are set)`);
    return undefined;
  }
  const parties = authorizedParties(e, problems);
  const publishableKey = e.CLERK_PUBLISHABLE_KEY ?? '';
  const fapi = frontendApi(publishableKey);
  if (!e.CLERK_JS_URL && !fapi) {
    problems.push('CLERK_PUBLISHABLE_KEY: does not name a Clerk Frontend API; copy it from the dashboard');
  }
  return {
    publishableKey,
    jwtKey: e.CLERK_JWT_KEY ?? '',
    issuer: (e.CLERK_ISSUER ?? '').replace(/\/+$/, ''),
    authorizedParties: parties,
    webhookSecret: e.CLERK_WEBHOOK_SECRET,
    scriptUrl: e.CLERK_JS_URL ?? `https://${fapi}/npm/@clerk/clerk-js@5/dist/clerk.browser.js`,
    linkCodeSecret: e.LINK_CODE_SECRET,
  };
}

/**
 * The origins a session token may be made for. Without any, @clerk/backend checks no `azp` at all and
 * a token minted for another site would be taken; the link page's own origin must be one of them.
 */
function authorizedParties(e: z.infer<typeof EnvSchema>, problems: string[]): string[] {
  const parties = (e.CLERK_AUTHORIZED_PARTIES ?? '')
    .split(',')
    .map((p) => p.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const example = e.PUBLIC_URL ? new URL(e.PUBLIC_URL).origin : 'https://bot.example.com';
  if (parties.length === 0) {
    problems.push(
      `CLERK_AUTHORIZED_PARTIES: required for account linking; set it to the origin the link page is served from (${example})`,
    );
    return parties;
  }
  const notOrigins = parties.filter((p) => !URL.canParse(p) || new URL(p).origin !== p);
  if (notOrigins.length > 0) {
    problems.push(
      `CLERK_AUTHORIZED_PARTIES: ${notOrigins.join(', ')} ${notOrigins.length === 1 ? 'is not an origin' : 'are not origins'} like ${example}`,
    );
  } else if (e.PUBLIC_URL && !parties.includes(new URL(e.PUBLIC_URL).origin)) {
    problems.push(
      `CLERK_AUTHORIZED_PARTIES: must include ${example}, the origin of PUBLIC_URL where the link page is served`,
    );
  }
  return parties;
}

function readManifest(root: string): BootstrapManifest | undefined {
  const file = path.join(root, '.gentrade', 'bootstrap.json');
  if (!existsSync(file)) return undefined;
  try {
    const parsed = BootstrapManifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // a half-written manifest: the bootstrap rewrites it on the next run
  }
}

/**
 * Parses the environment once. Throws an AppError('CONFIG') whose message names every bad variable.
 * `root` is where .gentrade/bootstrap.json is looked for.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root: string = repoRoot): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new AppError('CONFIG', `Invalid configuration. ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const manifest = readManifest(root);
  const problems: string[] = [];
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET) {
    problems.push(
      'TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL, so forged updates are refused',
    );
  }
  if (e.SLACK_BOT_TOKEN && !e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    problems.push(
      'SLACK_SIGNING_SECRET: required for the HTTP receiver (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  const clerk = clerkConfig(e, problems);
  const proxies = parseTrustedProxies(e.HTTP_TRUST_PROXY);
  if (!proxies.ok) problems.push(`HTTP_TRUST_PROXY: ${proxies.problem}`);
  if (e.HTTP_PORT !== undefined && !e.PUBLIC_URL) {
    problems.push('PUBLIC_URL: required with HTTP_PORT (the address traders open the link page at)');
  }
  if (clerk && e.HTTP_PORT === undefined) {
    problems.push('HTTP_PORT: required with the CLERK_ keys (the link page needs the HTTP server)');
  }
  if (e.REQUIRE_LINK && !clerk) {
    problems.push('REQUIRE_LINK: needs the CLERK_ keys, or no trader could ever link');
  }
  if (problems.length > 0) throw new AppError('CONFIG', `Invalid configuration. ${problems.join('; ')}`);
  return {
    env: e.NODE_ENV,
    role: e.GENTRADE_ROLE,
    log: { level: e.LOG_LEVEL, file: e.LOG_FILE },
    dataDir: path.resolve(root, e.GENTRADE_DATA_DIR ?? 'data'),
    console: e.GENTRADE_CONSOLE,
    mongo: {
      uri: e.MONGODB_URI,
      dbName: e.MONGODB_DB,
      ferretdbBin: e.FERRETDB_BIN ?? manifest?.ferretdbBin ?? undefined,
      ferretdbPort: e.FERRETDB_PORT,
    },
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
    },
    freqtrade: {
      runner: e.FREQTRADE_RUNNER,
      python: e.FREQTRADE_PYTHON ?? manifest?.python,
      engineDir: e.FREQTRADE_ENGINE_DIR ?? manifest?.engineDir ?? path.join(root, 'freqtrade', 'engine'),
      path: e.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      image: e.FREQTRADE_IMAGE,
      marketDataDir: e.MARKET_DATA_DIR ?? manifest?.dataDir,
      marketsPath: e.MARKETS_SNAPSHOT ?? manifest?.marketsPath,
      timeoutMs: e.BACKTEST_TIMEOUT_MS,
      stakeCurrency: e.STAKE_CURRENCY,
      startingBalance: e.STARTING_BALANCE,
    },
    backtest: { concurrency: e.BACKTEST_CONCURRENCY, defaultTimerange: e.BACKTEST_DEFAULT_TIMERANGE },
    jobs: { pollMs: e.JOBS_POLL_MS, leaseMs: e.JOBS_LEASE_MS },
    http:
      e.HTTP_PORT !== undefined && e.PUBLIC_URL
        ? {
            port: e.HTTP_PORT,
            host: e.HTTP_HOST,
            publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
            trustProxy: proxies.ok ? proxies.proxies : [],
          }
        : undefined,
    clerk,
    requireLink: e.REQUIRE_LINK ?? false,
    quotas: {
      guest: {
        backtestsPerDay: e.QUOTA_GUEST_BACKTESTS_PER_DAY,
        backtestsAtOnce: e.QUOTA_GUEST_BACKTESTS_AT_ONCE,
        strategiesPerHour: e.QUOTA_GUEST_STRATEGIES_PER_HOUR,
        messagesPerMinute: e.QUOTA_GUEST_MESSAGES_PER_MINUTE,
      },
      linked: {
        backtestsPerDay: e.QUOTA_LINKED_BACKTESTS_PER_DAY,
        backtestsAtOnce: e.QUOTA_LINKED_BACKTESTS_AT_ONCE,
        strategiesPerHour: e.QUOTA_LINKED_STRATEGIES_PER_HOUR,
        messagesPerMinute: e.QUOTA_LINKED_MESSAGES_PER_MINUTE,
      },
    },
    platforms: {
      discord: e.DISCORD_TOKEN
        ? { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, apiUrl: e.DISCORD_API_URL }
        : undefined,
      telegram: e.TELEGRAM_BOT_TOKEN
        ? {
            token: e.TELEGRAM_BOT_TOKEN,
            apiRoot: e.TELEGRAM_API_ROOT,
            webhook:
              e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
                ? {
                    url: e.TELEGRAM_WEBHOOK_URL,
                    secret: e.TELEGRAM_WEBHOOK_SECRET,
                    port: e.TELEGRAM_WEBHOOK_PORT,
                    host: e.HTTP_HOST,
                  }
                : undefined,
          }
        : undefined,
      slack: e.SLACK_BOT_TOKEN
        ? {
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET,
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
            port: e.SLACK_PORT,
            host: e.HTTP_HOST,
          }
        : undefined,
    },
  };
}

/** Every credential in the configuration, so the logger can keep them out of log lines. */
export function configSecrets(config: Config): string[] {
  const { discord, telegram, slack } = config.platforms;
  const uriPassword = (() => {
    if (!config.mongo.uri) return undefined;
    try {
      return decodeURIComponent(new URL(config.mongo.uri).password) || undefined;
    } catch {
      return undefined;
    }
  })();
  return [
    config.openai.apiKey,
    discord?.token,
    telegram?.token,
    telegram?.webhook?.secret,
    slack?.botToken,
    slack?.signingSecret,
    slack?.appToken,
    config.clerk?.webhookSecret,
    config.clerk?.linkCodeSecret,
    uriPassword,
  ].filter((s): s is string => typeof s === 'string' && s !== '');
}
