// The trader's progress message while a model drafts a strategy: one message, posted through the
// notifier when the first stage arrives and edited in place (one progress key) as the repair loop moves
// on, then closed with a final line before the strategy card goes out. The words are for a trader: what
// kind of problem a try had, never the validator's text. Delivery is best effort: a progress message
// that can't be sent is logged and the draft carries on.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Notifier } from '../notifier.ts';
import type { DraftStage } from './ports.ts';
import type { ChatAddress, ProgressState } from './types.ts';

/** What the handlers need to post progress; absent where nothing can deliver (unit tests). */
export type DraftProgressDeps = {
  draftProgress?: { notifier: Pick<Notifier, 'notify'>; logger: Logger };
};

export type DraftProgress = {
  /** The drafter's onProgress: posts the first stage, edits the message for the later ones. */
  report(stage: DraftStage): void;
  /**
   * Closes the message (when one was posted) and waits, at most `waitMs`, until the chat has it, so
   * the progress message comes before the reply on every platform.
   */
  finish(outcome: { name: string } | null): Promise<void>;
};

/** How long the reply waits for the progress message's last edit; a slow platform must not hold it. */
const FINISH_WAIT_MS = 3000;

const PROBLEM: Record<Extract<DraftStage, { stage: 'repairing' }>['problem'], string> = {
  spec: 'The draft broke a rule of the strategy language; fixing it',
  code: "The engine wouldn't load the code made from the draft; fixing it",
  'no-trades': 'The draft made no trades on recent data; loosening its entry conditions',
};

/** The line the trader sees for a stage. */
export function stageText(stage: DraftStage): string {
  switch (stage.stage) {
    case 'drafting':
      return 'Drafting your strategy…';
    case 'checking':
      return 'Checking the code with a quick backtest on recent data…';
    case 'repairing':
      return `${PROBLEM[stage.problem]} (try ${stage.attempt} of ${stage.maxAttempts})…`;
    case 'fallback':
      return 'The model gave no usable draft; reading your description with the built-in parser…';
  }
}

export function createDraftProgress(
  deps: DraftProgressDeps,
  address: ChatAddress,
  correlationId: string,
  waitMs = FINISH_WAIT_MS,
): DraftProgress {
  const sink = deps.draftProgress;
  // A key of its own per draft: two drafts in one turn must not edit each other's message.
  const key = `draft:${randomUUID()}`;
  let last: Promise<unknown> | null = null;
  let shown = '';

  const post = (text: string, state: ProgressState) => {
    if (!sink) return;
    shown = text;
    // The notifier keeps one chat's messages in order, so each edit lands after the one before.
    last = sink.notifier.notify(address, { text, progress: { key, state } }).catch((err: unknown) => {
      sink.logger.warn({ err, correlationId, key }, 'draft progress message not delivered');
    });
  };

  return {
    report(stage) {
      const text = stageText(stage);
      if (text !== shown) post(text, 'running');
    },
    async finish(outcome) {
      if (!last) return;
      if (outcome) post(`Drafted ${outcome.name}.`, 'succeeded');
      else post("I couldn't create that strategy; the reason is below.", 'failed');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      });
      await Promise.race([last, timeout]);
      clearTimeout(timer);
    },
  };
}

/**
 * Runs `work` (the draft and its save) with a progress listener for the drafter, then closes the
 * progress message: done with the strategy's name, or failed when `work` throws (the error goes on).
 */
export async function withDraftProgress<T>(
  deps: DraftProgressDeps,
  ctx: { address: ChatAddress; correlationId: string },
  work: (onProgress: (stage: DraftStage) => void) => Promise<T>,
  nameOf: (result: T) => string,
): Promise<T> {
  const progress = createDraftProgress(deps, ctx.address, ctx.correlationId);
  let result: T;
  try {
    result = await work(progress.report);
  } catch (err) {
    await progress.finish(null);
    throw err;
  }
  await progress.finish({ name: nameOf(result) });
  return result;
}
