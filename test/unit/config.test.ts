import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSecrets, loadConfig } from '../../src/config.ts';
import { AppError } from '../../src/errors.ts';

const emptyRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-config-'));

function configError(env: NodeJS.ProcessEnv): AppError {
  try {
    loadConfig(env, emptyRoot);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a config error');
}

describe('loadConfig', () => {
  it('uses defaults for an empty environment', () => {
    const c = loadConfig({}, emptyRoot);
    expect(c.mongo.uri).toBeUndefined();
    expect(c.mongo.dbName).toBe('gentrade');
    expect(c.freqtrade.runner).toBe('local');
    expect(c.backtest.defaultTimerange).toBe('20250101-20251231');
    expect(c.dataDir).toBe(path.join(emptyRoot, 'data'));
  });

  it('names the variable when a value is bad', () => {
    const err = configError({ MONGODB_URI: 'postgres://x' });
    expect(err.code).toBe('CONFIG');
    expect(err.userMessage).toContain('MONGODB_URI');
    expect(err.userMessage).toContain('mongodb://');
  });

  it('reports every bad variable at once', () => {
    const err = configError({
      BACKTEST_TIMEOUT_MS: 'soon',
      FREQTRADE_RUNNER: 'kubernetes',
      LOG_LEVEL: 'loud',
    });
    expect(err.userMessage).toContain('BACKTEST_TIMEOUT_MS');
    expect(err.userMessage).toContain('FREQTRADE_RUNNER');
    expect(err.userMessage).toContain('LOG_LEVEL');
  });

  it('rejects a malformed default timerange and an out-of-range number', () => {
    expect(configError({ BACKTEST_DEFAULT_TIMERANGE: '2024' }).userMessage).toContain(
      'BACKTEST_DEFAULT_TIMERANGE',
    );
    expect(configError({ BACKTEST_CONCURRENCY: '0' }).userMessage).toContain(
      'BACKTEST_CONCURRENCY: must be a whole number 1..32',
    );
    expect(configError({ STARTING_BALANCE: 'lots' }).userMessage).toContain(
      'STARTING_BALANCE: must be a whole number 10..100000000',
    );
  });

  it('treats empty strings as unset', () => {
    const c = loadConfig({ MONGODB_URI: '', OPENAI_API_KEY: '  ', BACKTEST_CONCURRENCY: '' }, emptyRoot);
    expect(c.mongo.uri).toBeUndefined();
    expect(c.openai.apiKey).toBeUndefined();
    expect(c.backtest.concurrency).toBe(2);
  });

  it('parses flags and numbers', () => {
    const c = loadConfig({ GENTRADE_CONSOLE: '0', STARTING_BALANCE: '5000', OPENAI_API_KEY: 'k' }, emptyRoot);
    expect(c.console).toBe(false);
    expect(c.freqtrade.startingBalance).toBe(5000);
    expect(c.openai.apiKey).toBe('k');
  });

  describe('http, linking and quotas', () => {
    // A publishable key names its Frontend API: base64("clerk.example.test$").
    const pk = `pk_test_${Buffer.from('clerk.example.test$').toString('base64')}`;
    const pem = '-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----';
    const linking = {
      HTTP_PORT: '8080',
      PUBLIC_URL: 'https://bot.example.test/',
      CLERK_PUBLISHABLE_KEY: pk,
      CLERK_JWT_KEY: pem,
      CLERK_ISSUER: 'https://clerk.example.test',
      CLERK_AUTHORIZED_PARTIES: 'https://bot.example.test, https://app.example.test/',
    };

    it('has no server, no linking and guest use allowed by default', () => {
      const c = loadConfig({}, emptyRoot);
      expect(c.http).toBeUndefined();
      expect(c.clerk).toBeUndefined();
      expect(c.requireLink).toBe(false);
      expect(c.quotas.guest.backtestsPerDay).toBeLessThan(c.quotas.linked.backtestsPerDay);
    });

    it('reads the linking keys, the key line breaks and the script from the publishable key', () => {
      const c = loadConfig(
        { ...linking, REQUIRE_LINK: 'true', QUOTA_GUEST_BACKTESTS_PER_DAY: '2' },
        emptyRoot,
      );
      expect(c.http).toEqual({
        port: 8080,
        host: '0.0.0.0',
        publicUrl: 'https://bot.example.test',
        trustProxy: [],
      });
      expect(c.clerk?.jwtKey).toBe('-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----');
      expect(c.clerk?.authorizedParties).toEqual(['https://bot.example.test', 'https://app.example.test']);
      expect(c.clerk?.scriptUrl).toBe(
        'https://clerk.example.test/npm/@clerk/clerk-js@5/dist/clerk.browser.js',
      );
      expect(c.requireLink).toBe(true);
      expect(c.quotas.guest.backtestsPerDay).toBe(2);
    });

    it('trusts only the listed proxies, and refuses `true` and hop counts with the reason', () => {
      expect(
        loadConfig({ ...linking, HTTP_TRUST_PROXY: 'loopback, 10.0.0.0/8' }, emptyRoot).http?.trustProxy,
      ).toEqual(['loopback', '10.0.0.0/8']);
      for (const value of ['true', '1', 'yes']) {
        const said = configError({ ...linking, HTTP_TRUST_PROXY: value }).userMessage;
        expect(said).toContain('HTTP_TRUST_PROXY: must list the addresses of your proxies');
        expect(said).toContain('they let any client choose the address rate limits see');
      }
      expect(configError({ ...linking, HTTP_TRUST_PROXY: 'proxy.local' }).userMessage).toContain(
        'HTTP_TRUST_PROXY: "proxy.local" is not an IP address',
      );
    });

    it('names the missing linking keys when only some are set', () => {
      const { CLERK_ISSUER: _i, CLERK_JWT_KEY: _k, ...partial } = linking;
      const said = configError(partial).userMessage;
      expect(said).toContain('CLERK_JWT_KEY, CLERK_ISSUER');
      expect(configError({ ...linking, CLERK_JWT_KEY: 'abc' }).userMessage).toContain('CLERK_JWT_KEY');
    });

    it('requires authorized parties, as origins, including the link page’s own', () => {
      const { CLERK_AUTHORIZED_PARTIES: _a, ...none } = linking;
      const required =
        'CLERK_AUTHORIZED_PARTIES: required for account linking; set it to the origin the link page is served from (https://bot.example.test)';
      expect(configError(none).userMessage).toContain(required);
      expect(configError({ ...linking, CLERK_AUTHORIZED_PARTIES: ' , ' }).userMessage).toContain(required);
      expect(
        configError({
          ...linking,
          CLERK_AUTHORIZED_PARTIES: 'https://bot.example.test/link, bot.example.test',
        }).userMessage,
      ).toContain(
        'CLERK_AUTHORIZED_PARTIES: https://bot.example.test/link, bot.example.test are not origins like https://bot.example.test',
      );
      expect(
        configError({ ...linking, CLERK_AUTHORIZED_PARTIES: 'https://app.example.test' }).userMessage,
      ).toContain(
        'CLERK_AUTHORIZED_PARTIES: must include https://bot.example.test, the origin of PUBLIC_URL',
      );
    });

    it('takes LINK_CODE_SECRET when long enough, and keeps it out of the logs', () => {
      expect(loadConfig(linking, emptyRoot).clerk?.linkCodeSecret).toBeUndefined();
      const secret = 'x'.repeat(32);
      const c = loadConfig({ ...linking, LINK_CODE_SECRET: secret }, emptyRoot);
      expect(c.clerk?.linkCodeSecret).toBe(secret);
      expect(configSecrets(c)).toContain(secret);
      expect(configError({ ...linking, LINK_CODE_SECRET: 'short' }).userMessage).toContain(
        'LINK_CODE_SECRET: must be at least 32 characters',
      );
    });

    it('needs the server and its public address for linking, and linking for REQUIRE_LINK', () => {
      const { HTTP_PORT: _p, ...noPort } = linking;
      expect(configError(noPort).userMessage).toContain('HTTP_PORT');
      expect(configError({ HTTP_PORT: '8080' }).userMessage).toContain('PUBLIC_URL');
      expect(configError({ REQUIRE_LINK: 'yes' }).userMessage).toContain('REQUIRE_LINK');
      expect(configError({ CLERK_WEBHOOK_SECRET: 'whsec_abc' }).userMessage).toContain('CLERK_JWT_KEY');
      expect(configError({ QUOTA_LINKED_MESSAGES_PER_MINUTE: '-1' }).userMessage).toContain(
        'QUOTA_LINKED_MESSAGES_PER_MINUTE',
      );
    });
  });
});
