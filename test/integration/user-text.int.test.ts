// Text people type that is stored and shown back (a strategy's description, a display name) is cleaned
// before it is stored: lone surrogates, bidi overrides and isolates, and control characters go, so a
// card reads the same on every platform and can't be visually reordered. Through the real app on
// FerretDB: what the database holds and what /show shows back. The code is left exactly as given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ GENTRADE_ROLE: 'bot' });
});
afterAll(async () => {
  await t?.stop();
});

// Right-to-left override, a pop, a left-to-right isolate, a bell, an escape, a lone high surrogate.
const DIRTY =
  'BTC SMA 20/50 cross on 1h \u202Etxet desrever\u202C \u2066x\u2069 \u0007\u001Bbold \uD83D stop 5%';

const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A bidi override or isolate, a lone surrogate, or a control character other than tab and line feed. */
const hostile = (s: string | null | undefined) => {
  const text = s ?? '';
  const control = [...text].some((ch) => {
    const c = ch.charCodeAt(0);
    return (c < 0x20 && ch !== '\t' && ch !== '\n') || (c >= 0x7f && c <= 0x9f);
  });
  return control || BIDI.test(text) || LONE_SURROGATE.test(text);
};

describe('user text is cleaned before it is stored', () => {
  it("stores and shows a strategy's description without bidi overrides, controls or lone surrogates", async () => {
    const out = await t.send(`/new ${DIRTY}`);
    const name = /^Created ([a-z0-9-]+)\./.exec(out[0]?.text ?? '')?.[1];
    expect(name, out[0]?.text).toBeTruthy();
    const doc = await t.app.models.Strategy.findOne({ name }).lean();
    expect(hostile(doc?.description)).toBe(false);
    expect(doc?.description).toContain('txet desrever');
    expect(doc?.description).toContain(' bold ');
    const shown = await t.send(`/show ${name}`);
    const texts = shown.flatMap((m) => [
      m.text ?? '',
      m.card?.title ?? '',
      m.card?.description ?? '',
      ...(m.card?.fields ?? []).map((f) => f.value),
    ]);
    expect(texts.join('\n')).toContain('txet desrever');
    expect(texts.filter(hostile)).toEqual([]);
    expect(doc?.code).toBeTruthy();
  });

  it('quotes what was typed in a refusal without bidi overrides or control characters', async () => {
    const out = await t.send('/show \u202Eabc\u0007');
    expect(out[0]?.text).toBe('You have no strategy called "abc". Type /strategies to see yours.');
  });

  it('cleans a display name on create and on update', async () => {
    await t.send('/strategies', 'mallory\u202Egnp.exe');
    const identity = await t.app.models.PlatformIdentity.findOne({
      platformUserId: 'mallory\u202Egnp.exe',
    }).lean();
    const user = await t.app.models.User.findById(identity?.userId).lean();
    expect(user?.displayName).toBe('mallorygnp.exe');
    await t.app.models.PlatformIdentity.updateOne(
      { _id: identity?._id },
      { $set: { displayName: 'eve\u2067\uDC00\u0000' } },
    );
    const updated = await t.app.models.PlatformIdentity.findById(identity?._id).lean();
    expect(updated?.displayName).toBe('eve');
  });

  it('fills in and keeps current the name of an identity stored without one', async () => {
    await t.send('/strategies', 'old-timer');
    await t.app.models.PlatformIdentity.updateOne(
      { platformUserId: 'old-timer' },
      { $set: { displayName: null } },
    );
    // The test platform names each sender by its id: the next message brings the name back.
    await t.send('/strategies', 'old-timer');
    const row = await t.app.models.PlatformIdentity.findOne({ platformUserId: 'old-timer' }).lean();
    expect(row?.displayName).toBe('old-timer');
  });
});
