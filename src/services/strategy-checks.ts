// Helpers of the strategy service kept apart so it stays readable: the engine check every rendered
// strategy passes before it is saved, keeping a replaced version, and the sentences for refusals.
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models, StrategyDoc } from '../storage/models.ts';
import type { StrategySpec } from '../strategy/spec.ts';
import type { StrategyValidator } from '../strategy/verdict.ts';

/** Custom code has no spec: it is changed by pasting a new version, not by editing fields. */
export function customCodeError(doc: StrategyDoc): AppError {
  return new AppError(
    'BAD_COMMAND',
    `${doc.name} is custom Freqtrade code, not built from a description, so it can't be edited here. To change it, paste the new version of the code (a \`\`\`python block or a .py file) and confirm the replacement.`,
  );
}

/**
 * The static and load checks (no smoke backtest, to keep creation fast) for rendered code. A refusal
 * is a renderer bug: logged with the verdict, and the trader gets a plain sentence. Without a
 * validator (unit tests without an engine) nothing is checked. Futures code (shorts) is loaded against
 * the pairs' USDT perpetuals, where Freqtrade allows shorting.
 */
export async function checkRendered(
  deps: { validator?: StrategyValidator; logger?: Logger },
  code: string,
  className: string,
  spec: StrategySpec,
): Promise<void> {
  if (!deps.validator) return;
  const verdict = await deps.validator.validate(code, {
    className,
    timeframe: spec.timeframe,
    pairs: spec.pairs,
    smoke: false,
    tradingMode: spec.tradingMode,
  });
  if (verdict.accepted) return;
  deps.logger?.error({ event: 'render_rejected', className, verdict, spec }, 'rendered code rejected');
  throw new AppError(
    'INTERNAL',
    "I couldn't turn that into Freqtrade code that loads; that's a bug on our side and it has been logged. Try describing the strategy differently.",
    { detail: `rendered ${className} rejected at ${verdict.stage}: ${JSON.stringify(verdict.violations)}` },
  );
}

/** Stores the current version before it is replaced, so a change never loses it. */
export async function keepVersion(
  models: Pick<Models, 'StrategyVersion'>,
  current: StrategyDoc,
): Promise<void> {
  await models.StrategyVersion.updateOne(
    { strategyId: current._id, version: current.version },
    {
      $setOnInsert: {
        ownerId: current.ownerId,
        kind: current.kind ?? 'spec',
        spec: current.spec ?? null,
        className: current.className,
        timeframe: current.timeframe ?? null,
        pairs: current.pairs ?? [],
        code: current.code,
      },
    },
    { upsert: true },
  );
}

/** A unique-index clash on (owner, name) as a sentence; anything else unchanged. */
export function duplicateError(err: unknown, name: string): unknown {
  if (isDuplicateKey(err)) {
    return new AppError('DUPLICATE', `You already have a strategy called ${name}. Try again.`, {
      cause: err,
    });
  }
  return err;
}
