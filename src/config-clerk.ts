// Account linking's settings: the four Clerk keys together or none, the Frontend API the publishable key
// names, and the origins a session token may be made for. Part of loadConfig (src/config.ts).
import type { Env } from './config-env.ts';

/**
 * Account linking through Clerk. Session tokens are verified networklessly with `jwtKey`;
 * `webhookSecret` absent means /webhooks/clerk is not served.
 */
export type ClerkConfig = {
  publishableKey: string;
  jwtKey: string;
  issuer: string;
  authorizedParties: string[];
  webhookSecret: string | undefined;
  /** Clerk's browser script; by default the one the publishable key's Frontend API serves. */
  scriptUrl: string;
  /** The key link codes are stored under; unset: the app makes one in GENTRADE_DATA_DIR/secrets. */
  linkCodeSecret: string | undefined;
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
export function clerkConfig(e: Env, problems: string[]): ClerkConfig | undefined {
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
function authorizedParties(e: Env, problems: string[]): string[] {
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
