// A stand-in for Clerk's side of linking: an RSA key the test makes, session tokens signed with it
// as real RS256 JWTs (the production code verifies them with @clerk/backend), the environment that
// points the app at it, and a svix-style webhook signer with a test secret.
import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

export const TEST_ISSUER = 'https://clerk.gentrade.test';
const FRONTEND_API = 'clerk.gentrade.test';

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export type SessionClaims = {
  sub: string;
  /** Seconds since the epoch; defaults: issued now, valid for five minutes. */
  iat?: number;
  nbf?: number;
  exp?: number;
  iss?: string;
  azp?: string | undefined;
  sid?: string;
};

export type TestClerk = {
  /** A session token for `claims`, signed with the configured key unless another is given. */
  token(claims: SessionClaims, opts?: { key?: KeyObject }): string;
  /** A key Clerk never used: tokens signed with it must be refused. */
  strangerKey: KeyObject;
  webhookSecret: string;
  /** svix headers for `body` (`at` in seconds; default now). */
  signWebhook(body: string, opts?: { id?: string; at?: number; secret?: string }): Record<string, string>;
  env(publicUrl: string): Record<string, string>;
};

export function createTestClerk(): TestClerk {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  let parties: string[] = [];
  return {
    strangerKey: stranger.privateKey,
    webhookSecret,
    token(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: TEST_ISSUER,
        azp: parties[0],
        sid: 'sess_test',
        iat: now - 5,
        nbf: now - 5,
        exp: now + 300,
        ...claims,
      };
      const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'ins_test' }));
      const body = b64url(JSON.stringify(payload));
      const signer = opts.key ?? pair.privateKey;
      const signature = sign('sha256', Buffer.from(`${head}.${body}`), signer);
      return `${head}.${body}.${b64url(signature)}`;
    },
    signWebhook(body, opts = {}) {
      const id = opts.id ?? `msg_${randomBytes(8).toString('hex')}`;
      const at = String(opts.at ?? Math.floor(Date.now() / 1000));
      const secret = Buffer.from((opts.secret ?? webhookSecret).replace(/^whsec_/, ''), 'base64');
      const signature = createHmac('sha256', secret).update(`${id}.${at}.${body}`).digest('base64');
      return { 'svix-id': id, 'svix-timestamp': at, 'svix-signature': `v1,${signature}` };
    },
    env(publicUrl) {
      parties = [publicUrl];
      return {
        CLERK_PUBLISHABLE_KEY: `pk_test_${Buffer.from(`${FRONTEND_API}$`).toString('base64')}`,
        CLERK_JWT_KEY: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        CLERK_ISSUER: TEST_ISSUER,
        CLERK_AUTHORIZED_PARTIES: publicUrl,
        CLERK_WEBHOOK_SECRET: webhookSecret,
      };
    },
  };
}
