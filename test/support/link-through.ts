// Links a chat identity to a Clerk user the way a trader does: /link in the chat, then the link page's
// confirm call with a session token from the test signer. Everything it drives is production code.
import type { ChatAddress } from '../../src/core/types.ts';
import type { TestApp } from './app.ts';
import type { TestClerk } from './clerk.ts';

export async function linkThrough(
  t: TestApp,
  clerk: TestClerk,
  address: ChatAddress,
  clerkUserId: string,
): Promise<{ ok: boolean; sentence: string }> {
  const replies = await t.app.conversation.handle({
    kind: 'command',
    name: 'link',
    args: '',
    address,
    sender: { platformUserId: address.userId, displayName: address.userId },
    receivedAt: new Date(),
  });
  const said = replies.map((r) => r.text).join('\n');
  const code = /Your link code: ([A-Z2-9-]{9})/.exec(said)?.[1];
  if (!code) throw new Error(`no link code in: ${said}`);
  return confirmCode(t, clerk, code, clerkUserId);
}

/** The link page's confirm call for `code`, signed in as `clerkUserId`; the page's JSON answer. */
export async function confirmCode(
  t: TestApp,
  clerk: TestClerk,
  code: string,
  clerkUserId: string,
): Promise<{ ok: boolean; sentence: string }> {
  const res = await fetch(`http://127.0.0.1:${t.app.httpPort}/link/api/confirm`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${clerk.token({ sub: clerkUserId })}`,
    },
    body: JSON.stringify({ code }),
  });
  return (await res.json()) as { ok: boolean; sentence: string };
}
