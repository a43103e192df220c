// A strategy whose stored spec no longer reads (hand-edited data, an old format) must not take /strategies
// down for all the others: the list marks it, and /show says what is wrong and offers to delete it.
// The bad spec is written straight into the real database, as a hand edit would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ GENTRADE_ROLE: 'bot' });
});
afterAll(async () => {
  await t?.stop();
});

async function create(description: string): Promise<string> {
  const out = await t.send(`/new ${description}`);
  const name = /^Created (\S+?)\./.exec(out[0]?.text ?? '')?.[1];
  if (!name) throw new Error(`not created: ${JSON.stringify(out)}`);
  return name;
}

describe('a strategy with an invalid stored spec', () => {
  it('is marked in the list, explained by /show, and can still be deleted', async () => {
    const good = await create('a BTC/USDT SMA 20/50 cross strategy on 1h with a 5% stop');
    const broken = await create('buy ETH/USDT when RSI(14) is below 30, sell above 70 on 4h');
    const res = await t.app.models.Strategy.updateOne(
      { name: broken },
      { $set: { 'spec.timeframe': 'fortnightly' } },
    );
    expect(res.modifiedCount).toBe(1);

    const list = await t.send('/strategies');
    const lines = String(list[0]?.text).split('\n');
    expect(lines[0]).toBe('Your strategies:');
    expect(lines).toContain(
      `- ${broken} (v1, stored spec needs attention: use /show ${broken} or /delete ${broken})`,
    );
    expect(lines).toContain(`- ${good} (v1, 1h, BTC/USDT)`);
    const showBroken = list[0]?.buttons?.find((b) => b.label === broken);
    expect(showBroken).toBeTruthy();

    const shown = await t.send(`/show ${broken}`);
    expect(shown).toHaveLength(1);
    expect(shown[0]?.text).toMatch(
      new RegExp(
        `^The stored spec of ${broken} \\(v1\\) needs attention, so I can't show or backtest it: .*timeframe`,
      ),
    );
    expect(shown[0]?.card).toBeUndefined();
    expect(shown[0]?.buttons?.map((b) => b.label)).toEqual(['Show code', 'Delete']);
    // The list's button for it lands on the same answer.
    expect(await t.click(String(showBroken?.action))).toEqual(shown);

    const code = await t.click(String(shown[0]?.buttons?.[0]?.action));
    expect(code[0]?.code?.content).toContain('class ');
    const confirm = await t.click(String(shown[0]?.buttons?.[1]?.action));
    expect(confirm[0]?.text).toBe(`Delete ${broken}? This cannot be undone.`);
    const deleted = await t.click(String(confirm[0]?.buttons?.[0]?.action));
    expect(deleted[0]?.text).toBe(`Deleted ${broken}.`);

    const after = await t.send('/strategies');
    expect(after[0]?.text).toBe(`Your strategies:\n- ${good} (v1, 1h, BTC/USDT)`);
    // The sound one still shows as a card.
    expect((await t.send(`/show ${good}`))[0]?.card?.title).toBe(`${good} (v1)`);
  });
});
