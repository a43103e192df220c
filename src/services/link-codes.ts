// One-time codes that tie a chat identity to the link page. A code is random (40 bits, read aloud
// without 0/O or 1/I), bound to the identity that asked, single use and good for ten minutes. Only
// its HMAC under a key kept outside the database is stored: 40 bits are few enough to try them all
// against a plain hash, so a copy of the database alone must not reveal a live code. Wrong codes
// count against the client (an IPv6 client by its /64) and the signed-in account, so guessing stops
// long before it could find one.
import { createHmac, randomInt } from 'node:crypto';
import type { ChatAddress } from '../core/types.ts';
import type { Models } from '../storage/models.ts';
import type { AccountService, Identity, LinkResult } from './accounts.ts';
import { clientNetwork } from './client-network.ts';
import { oneAtATime } from './one-at-a-time.ts';
import { type RateLimiter, type RateWindow, takeAll } from './rate-limit.ts';

const CODE_TTL_MS = 10 * 60_000;
/** Wrong or spent codes allowed per client address and per account in a quarter hour. */
export const FAILED_ATTEMPTS: RateWindow = { limit: 10, windowMs: 15 * 60_000 };

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export type IssuedCode = { code: string; expiresAt: Date };

/** Who is asking the page: the client's address and, once signed in, the Clerk user. */
export type Requester = { ip: string; clerkUserId?: string };

export type CodeLookup =
  | { ok: true; identity: Identity; replyTo: ChatAddress; expiresAt: Date }
  | {
      ok: false;
      reason: 'unknown' | 'expired' | 'used' | 'rate_limited';
      identity?: Identity;
      replyTo?: ChatAddress;
      retryAt?: Date;
    };

export type LinkCodes = {
  /** A new code for the identity; any earlier unused one stops working. */
  issue(identity: Identity, replyTo: ChatAddress): Promise<IssuedCode>;
  /** What a code links, without using it (the page shows it before the trader confirms). */
  inspect(code: string, who: Requester): Promise<CodeLookup>;
  /** Uses the code and links its identity to the signed-in Clerk user. */
  redeem(
    code: string,
    who: Requester & { clerkUserId: string },
  ): Promise<LinkResult & { replyTo?: ChatAddress }>;
};

/** What the trader may type: any case, spaces or dashes. */
function normalizeCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '');
}

/** XXXX-XXXX, easier to read and type than eight letters in a row. */
export const formatCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

export function createLinkCodes(deps: {
  models: Models;
  accounts: AccountService;
  limiter: RateLimiter;
  /** The HMAC key codes are stored under (LINK_CODE_SECRET, or the app's own key file). */
  secret: string;
  now?: () => Date;
}): LinkCodes {
  const { LinkCode } = deps.models;
  const now = deps.now ?? (() => new Date());
  const hash = (code: string) => createHmac('sha256', deps.secret).update(code).digest('hex');

  const subjects = (who: Requester) => [
    `link-fail:ip:${clientNetwork(who.ip)}`,
    ...(who.clerkUserId ? [`link-fail:clerk:${who.clerkUserId}`] : []),
  ];

  /**
   * The attempt is counted before the code is looked at, so requests arriving all at once can't each
   * see the count under the limit; a right code, or a lookup that failed on our side, gives it back.
   */
  async function lookup(raw: string, who: Requester): Promise<CodeLookup & { id?: unknown }> {
    const counted = await takeAll(deps.limiter, subjects(who), FAILED_ATTEMPTS);
    if (!counted.allowed) return { ok: false, reason: 'rate_limited', retryAt: counted.resetsAt };
    try {
      const found = await find(raw);
      if (found.ok) await counted.release();
      return found;
    } catch (err) {
      await counted.release();
      throw err;
    }
  }

  async function find(raw: string): Promise<CodeLookup & { id?: unknown }> {
    const code = normalizeCode(raw);
    const doc = /^[A-Z2-9]{8}$/.test(code) ? await LinkCode.findOne({ codeHash: hash(code) }).lean() : null;
    if (!doc) return { ok: false, reason: 'unknown' };
    const identity = {
      platform: doc.platform,
      platformUserId: doc.platformUserId,
      displayName: doc.displayName,
    };
    const replyTo = doc.replyTo;
    if (doc.usedAt) return { ok: false, reason: 'used', identity, replyTo };
    if (doc.expiresAt.getTime() <= now().getTime()) {
      return { ok: false, reason: 'expired', identity, replyTo };
    }
    return { ok: true, identity, replyTo, expiresAt: doc.expiresAt, id: doc._id };
  }

  return {
    async issue(identity, replyTo) {
      const at = now();
      await LinkCode.deleteMany({
        $or: [
          { expiresAt: { $lt: at } },
          { platform: identity.platform, platformUserId: identity.platformUserId, usedAt: null },
        ],
      });
      const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
      const expiresAt = new Date(at.getTime() + CODE_TTL_MS);
      await LinkCode.create({ codeHash: hash(code), ...identity, replyTo, expiresAt });
      return { code, expiresAt };
    },
    async inspect(code, who) {
      const { id: _id, ...found } = await lookup(code, who);
      return found;
    },
    // One code's confirms one at a time (see one-at-a-time.ts): on FerretDB two claims of it at the
    // same moment could both succeed, and link the identity for two Clerk users.
    redeem: (code, who) => oneAtATime(`link-code:${hash(normalizeCode(code))}`, () => redeem(code, who)),
  };

  async function redeem(
    code: string,
    who: Requester & { clerkUserId: string },
  ): Promise<LinkResult & { replyTo?: ChatAddress }> {
    const found = await lookup(code, who);
    if (!found.ok) return found;
    // The account checks come before the code is spent, so "already linked" leaves it usable.
    const before = await deps.accounts.whoami(found.identity);
    if (before.clerkUserId === who.clerkUserId) {
      return { ok: false, reason: 'already_linked', identity: found.identity, replyTo: found.replyTo };
    }
    if (before.clerkUserId) {
      return { ok: false, reason: 'wrong_account', identity: found.identity, replyTo: found.replyTo };
    }
    const claimed = await LinkCode.findOneAndUpdate(
      { _id: found.id, usedAt: null },
      { $set: { usedAt: now() } },
      { returnDocument: 'after' },
    ).lean();
    if (!claimed) return { ok: false, reason: 'used', identity: found.identity, replyTo: found.replyTo };
    try {
      return {
        ...(await deps.accounts.link(found.identity, who.clerkUserId, found.replyTo)),
        replyTo: found.replyTo,
      };
    } catch (err) {
      // The link did not finish (one cut short is finished by running it again, see merge.ts), so the
      // code works again and the trader can press once more. The link's own error is the one to report.
      await LinkCode.updateOne({ _id: found.id }, { $set: { usedAt: null } }).catch(() => undefined);
      throw err;
    }
  }
}
