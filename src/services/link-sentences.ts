// What a trader reads about a link, on the page and in the chat alike: one sentence per outcome.
import type { LinkResult } from './accounts.ts';

const PLATFORM_NAMES: Record<string, string> = {
  telegram: 'Telegram',
  discord: 'Discord',
  slack: 'Slack',
  console: 'console',
};

export const platformName = (platform: string) => PLATFORM_NAMES[platform] ?? platform;

/** The platform a trader names ("telegram", "Slack"), as stored. */
export const platformOf = (word: string) => word.trim().toLowerCase();

/** "Telegram Tina (id 123)": how an identity is named wherever a trader reads about it. */
export function identityLabel(i: { platform: string; platformUserId: string; displayName: string | null }) {
  return `${platformName(i.platform)}${i.displayName ? ` ${i.displayName}` : ''} (id ${i.platformUserId})`;
}

/** Told to the account's other chats when another identity joins it. */
export function linkedNotice(i: { platform: string; platformUserId: string; displayName: string | null }) {
  return `${identityLabel(i)} was linked to your account. Not you? Send /unlink ${i.platform} ${i.platformUserId} here.`;
}

/** Told to a chat that another chat of its account unlinked. */
export function unlinkedNotice(by: { platform: string; platformUserId: string; displayName: string | null }) {
  return `This chat was unlinked from your account by ${identityLabel(by)}. Here you start afresh as a guest; the account keeps its strategies. Send /link to link again.`;
}

/** "your Telegram identity Ann" */
function who(r: LinkResult): string {
  return r.identity
    ? `your ${platformName(r.identity.platform)} identity ${r.identity.displayName}`
    : 'that identity';
}

const clock = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;

export function linkSentence(r: LinkResult): string {
  if (r.ok) {
    const merged =
      r.moved === 0
        ? ''
        : ` ${r.moved === 1 ? 'Its strategy' : `Its ${r.moved} strategies`} joined your account` +
          (r.renamed.length > 0
            ? `; renamed because the name was taken: ${r.renamed.map((x) => `${x.from} → ${x.to}`).join(', ')}.`
            : '.');
    return `Linked ${who(r)} to your account. Your strategies and backtests are now the same in every linked chat.${merged}`;
  }
  switch (r.reason) {
    case 'unknown':
      return 'That link code is not valid. Check it, or send /link in the chat for a new one.';
    case 'expired':
      return 'That link code has expired (codes last 10 minutes). Send /link in the chat for a new one.';
    case 'used':
      return 'That link code was already used. Send /link in the chat for a new one.';
    case 'wrong_account':
      return `${who(r).replace(/^y/, 'Y')} is already linked to another account. Send /unlink in that chat first, then /link again.`;
    case 'already_linked':
      return `${who(r).replace(/^y/, 'Y')} is already linked to this account; nothing changed.`;
    case 'account_deleted':
      return 'That account was deleted, so nothing can be linked to it. Sign in with another account and send /link in the chat for a new code.';
    case 'rate_limited':
      return `Too many wrong or spent codes. Try again after ${r.retryAt ? clock(r.retryAt) : 'a quarter of an hour'}.`;
  }
}
