// The one place that reads process.env. Everything else receives its slice of `Config` as an argument.
// Paths to what the bootstrap built (FerretDB, the Freqtrade venv, sample data) default to the manifest
// it writes in .gentrade/bootstrap.json, so `npm start` needs no variables at all.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type ClerkConfig, clerkConfig } from './config-clerk.ts';
import { EnvSchema } from './config-env.ts';
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

/** Per-user limits; 0 turns one off (nothing of that kind is allowed). */
export type Quotas = {
  backtestsPerDay: number;
  backtestsAtOnce: number;
  strategiesPerHour: number;
  messagesPerMinute: number;
};

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
  clerk: ClerkConfig | undefined;
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
