// Verifies a Clerk session token (the JWT Clerk's browser script hands the page) without a network
// call: the signature against CLERK_JWT_KEY, then expiry, not-before, issuer and authorized party
// (`azp`, the origin the token was made for). Anything else is refused with one sentence.
import { verifyToken } from '@clerk/backend';
import { AppError } from '../errors.ts';

export type SessionVerifierConfig = { jwtKey: string; issuer: string; authorizedParties: string[] };

export type SessionVerifier = {
  /** The Clerk user id the token belongs to, or AppError('BAD_INPUT'). */
  verify(token: string): Promise<{ clerkUserId: string }>;
};

const REFUSED = 'Your sign-in could not be verified. Sign in again, then confirm.';

export function createSessionVerifier(config: SessionVerifierConfig): SessionVerifier {
  // @clerk/backend skips the `azp` check when given no parties: a token made for any site would pass.
  if (config.authorizedParties.length === 0) {
    throw new AppError('CONFIG', 'CLERK_AUTHORIZED_PARTIES is empty: no session token could be checked.');
  }
  return {
    async verify(token) {
      if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token))
        throw new AppError('BAD_INPUT', REFUSED, { detail: 'malformed token' });
      try {
        const claims = await verifyToken(token, {
          jwtKey: config.jwtKey,
          issuer: config.issuer,
          authorizedParties: config.authorizedParties,
          // Clerk's own default; tokens live a minute, so clocks a few seconds apart still agree.
          clockSkewInMs: 5_000,
        });
        if (typeof claims.sub !== 'string' || !claims.sub) throw new Error('token without a subject');
        return { clerkUserId: claims.sub };
      } catch (err) {
        throw new AppError('BAD_INPUT', REFUSED, {
          cause: err,
          detail: `session token refused: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    },
  };
}
