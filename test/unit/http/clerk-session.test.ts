// Session tokens as Clerk makes them: RS256 JWTs signed with a key this test generates and verified by
// the production verifier (@clerk/backend, networkless). Each way a token can be wrong is refused.
import { describe, expect, it } from 'vitest';
import { createSessionVerifier } from '../../../src/http/clerk-session.ts';
import { createTestClerk, TEST_ISSUER } from '../../support/clerk.ts';

const PARTY = 'https://bot.gentrade.test';
const clerk = createTestClerk();
const env = clerk.env(PARTY);
const verifier = createSessionVerifier({
  jwtKey: env.CLERK_JWT_KEY ?? '',
  issuer: TEST_ISSUER,
  authorizedParties: [PARTY],
});
const now = () => Math.floor(Date.now() / 1000);

async function refusal(token: string): Promise<string> {
  try {
    await verifier.verify(token);
  } catch (err) {
    return err instanceof Error
      ? `${(err as { userMessage?: string }).userMessage} | ${err.message}`
      : String(err);
  }
  throw new Error('the token was accepted');
}

describe('Clerk session verification', () => {
  it('will not check tokens without authorized parties (Clerk would skip the azp check)', () => {
    expect(() =>
      createSessionVerifier({ jwtKey: env.CLERK_JWT_KEY ?? '', issuer: TEST_ISSUER, authorizedParties: [] }),
    ).toThrow(/CLERK_AUTHORIZED_PARTIES/);
  });

  it('accepts a good token and names its user', async () => {
    expect(await verifier.verify(clerk.token({ sub: 'user_ann' }))).toEqual({ clerkUserId: 'user_ann' });
  });

  it.each([
    [
      'expired',
      () => clerk.token({ sub: 'user_a', iat: now() - 600, nbf: now() - 600, exp: now() - 60 }),
      /expired/i,
    ],
    ['not yet valid', () => clerk.token({ sub: 'user_a', nbf: now() + 600 }), /not active|nbf|before/i],
    ['from another issuer', () => clerk.token({ sub: 'user_a', iss: 'https://evil.example' }), /issuer/i],
    [
      'for another party',
      () => clerk.token({ sub: 'user_a', azp: 'https://evil.example' }),
      /authorized party/i,
    ],
    ['for no party', () => clerk.token({ sub: 'user_a', azp: undefined }), /authorized party/i],
    [
      'signed with another key',
      () => clerk.token({ sub: 'user_a' }, { key: clerk.strangerKey }),
      /signature/i,
    ],
    ['malformed', () => 'not-a-jwt', /malformed/i],
    ['garbage in three parts', () => 'abc.def.ghi', /./],
    [
      'unsigned (alg none)',
      () => {
        const [head, body] = clerk.token({ sub: 'user_a' }).split('.');
        const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        return `${none}.${body ?? head}.`;
      },
      /./,
    ],
  ])('refuses a token %s', async (_what, make, why) => {
    const said = await refusal(make());
    expect(said).toContain('Your sign-in could not be verified');
    expect(said).toMatch(why);
  });
});
