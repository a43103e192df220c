// The draft progress message's contract with the notifier: one key edited in place, a closing state,
// nothing at all when no stage was reported, and delivery that fails or hangs never failing the draft.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createDraftProgress, stageText } from '../../../src/core/draft-progress.ts';
import type { ChatAddress, OutgoingMessage } from '../../../src/core/types.ts';

const address: ChatAddress = { platform: 'test', conversationId: 'c1', userId: 'u1' };

function recorder(answer: () => Promise<boolean> = () => Promise.resolve(true)) {
  const sent: OutgoingMessage[] = [];
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (l: string) => lines.push(JSON.parse(l)) });
  const notifier = {
    notify(_a: ChatAddress, m: OutgoingMessage) {
      sent.push(m);
      return answer();
    },
  };
  return { sent, lines, deps: { draftProgress: { notifier, logger } } };
}

describe('draft progress', () => {
  it('posts nothing when the drafter reported no stage (no model)', async () => {
    const r = recorder();
    const p = createDraftProgress(r.deps, address, 'corr-1');
    await p.finish({ name: 'btc-sma' });
    await p.finish(null);
    expect(r.sent).toEqual([]);
  });

  it('edits one key through the stages and closes it', async () => {
    const r = recorder();
    const p = createDraftProgress(r.deps, address, 'corr-1');
    p.report({ stage: 'drafting' });
    p.report({ stage: 'repairing', attempt: 2, maxAttempts: 3, problem: 'no-trades' });
    p.report({ stage: 'checking' });
    p.report({ stage: 'checking' }); // the same line again is not sent again
    await p.finish({ name: 'btc-rsi' });
    expect(r.sent.map((m) => [m.text, m.progress?.state])).toEqual([
      ['Drafting your strategy…', 'running'],
      ['The draft made no trades on recent data; loosening its entry conditions (try 2 of 3)…', 'running'],
      ['Checking the code with a quick backtest on recent data…', 'running'],
      ['Drafted btc-rsi.', 'succeeded'],
    ]);
    expect(new Set(r.sent.map((m) => m.progress?.key)).size).toBe(1);
    expect(r.sent[0]?.progress?.key).toMatch(/^draft:/);
  });

  it('gives each draft a key of its own', () => {
    const r = recorder();
    createDraftProgress(r.deps, address, 'same').report({ stage: 'drafting' });
    createDraftProgress(r.deps, address, 'same').report({ stage: 'drafting' });
    expect(r.sent[0]?.progress?.key).not.toBe(r.sent[1]?.progress?.key);
  });

  it('closes as failed when the create fails', async () => {
    const r = recorder();
    const p = createDraftProgress(r.deps, address, 'corr-1');
    p.report({ stage: 'fallback' });
    await p.finish(null);
    expect(r.sent.at(-1)).toMatchObject({
      text: "I couldn't create that strategy; the reason is below.",
      progress: { state: 'failed' },
    });
  });

  it('logs a delivery that throws and carries on', async () => {
    const r = recorder(() => Promise.reject(new Error('mongo down')));
    const p = createDraftProgress(r.deps, address, 'corr-9');
    p.report({ stage: 'drafting' });
    await expect(p.finish({ name: 'x' })).resolves.toBeUndefined();
    expect(r.sent).toHaveLength(2);
    expect(r.lines.map((l) => l.msg)).toContain('draft progress message not delivered');
    expect(r.lines[0]).toMatchObject({ correlationId: 'corr-9' });
  });

  it('does not hold the reply longer than the wait when the platform hangs', async () => {
    const r = recorder(() => new Promise<boolean>(() => undefined));
    const p = createDraftProgress(r.deps, address, 'corr-1', 50);
    p.report({ stage: 'drafting' });
    const started = Date.now();
    await p.finish({ name: 'x' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports only without a sink (unit deps), without throwing', async () => {
    const p = createDraftProgress({}, address, 'corr-1');
    p.report({ stage: 'drafting' });
    await expect(p.finish({ name: 'x' })).resolves.toBeUndefined();
  });

  it('words every stage for a trader, with no validator text', () => {
    for (const problem of ['spec', 'code', 'no-trades'] as const) {
      expect(stageText({ stage: 'repairing', attempt: 3, maxAttempts: 3, problem })).toMatch(
        /^[A-Z][^:.]*\(try 3 of 3\)…$/,
      );
    }
  });
});
