// Drafts a StrategySpec from a description. With a model: the model's spec through one forced tool call,
// validated, then (when the engine is here) rendered and smoke-backtested; invalid specs, rejected code
// and zero-trade strategies go back to the model, at most 3 tries (agents/repair.ts). Without a model,
// when it fails to answer, or when no try gave a valid spec, the deterministic offline parser. Each stage
// of a model draft is reported to the caller's onProgress, for the trader's progress message.
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { DraftStage, SpecDrafter } from '../src/core/ports.ts';
import { AppError } from '../src/errors.ts';
import { parseStrategyText } from '../src/strategy/parse/offline-parser.ts';
import {
  DraftSpecSchema,
  normalizeStrategyName,
  type StrategySpec,
  validateSpec,
} from '../src/strategy/spec.ts';
import type { AgentModel } from './model.ts';
import { DRAFT_SYSTEM } from './prompts.ts';
import { generateWithRepairs, type Judgement } from './repair.ts';
import type { SpecCheck } from './repair-check.ts';
import { sayBack } from './said-back.ts';
import type { ToolDefinition } from './tools/types.ts';

type Draft = { spec: StrategySpec; name: string; note?: string; assumptions?: string[] };
/** What kind of problem turned a try down, for the progress message (never the problem's text). */
type Problem = Extract<DraftStage, { stage: 'repairing' }>['problem'];
type Judged = { verdict: Judgement<Draft>; problem?: Problem };

const DRAFT_TOOL: ToolDefinition = {
  type: 'function',
  function: {
    name: 'strategy_spec',
    description: 'The strategy spec for the description, with a kebab-case name.',
    parameters: z.toJSONSchema(
      z.object({
        name: z.string().describe('kebab-case strategy name'),
        spec: DraftSpecSchema,
        assumptions: z
          .array(z.string().max(160))
          .max(8)
          .optional()
          .describe('each default you filled in for something the description left out, one short line each'),
      }),
      { io: 'input', unrepresentable: 'any' },
    ),
  },
};

const again = 'and call strategy_spec again.';

/** Keeps the sentence the trader sees short: the first problems only. */
function short(problems: string[]): string {
  const text = problems.slice(0, 3).join('; ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** The offline parser's spec; after failed model tries, its refusal names the model's last problems. */
function offline(description: string, problems: string[] = []): Draft {
  const parsed = parseStrategyText(description);
  if (parsed.ok) return { spec: parsed.spec, name: parsed.name, assumptions: parsed.assumptions };
  if (problems.length === 0) throw new AppError('PARSE_FAILED', parsed.reason);
  throw new AppError(
    'PARSE_FAILED',
    `I couldn't turn that into a valid strategy: ${short(problems)}. Try describing it differently, for example: BTC SMA 20/50 cross on 1h with a 5% stop.`,
  );
}

/** The model's lines on what it filled in; anything not a short list of strings is dropped, not trusted. */
function assumptionsOf(value: unknown): string[] {
  const parsed = z.array(z.string().trim().min(1).max(160)).max(8).safeParse(value);
  return parsed.success ? parsed.data : [];
}

function nameOf(value: unknown): string | null {
  try {
    return typeof value === 'string' ? normalizeStrategyName(value) : null;
  } catch {
    return null;
  }
}

/** Judges one model answer: the spec language first, then the engine's render and smoke backtest. */
async function judge(
  args: Record<string, unknown>,
  check: SpecCheck | undefined,
  knownPairs: readonly string[] | undefined,
  logger: Logger,
  report: (stage: DraftStage) => void,
): Promise<Judged> {
  const problems: string[] = [];
  const name = nameOf(args.name);
  if (!name) problems.push('name must be a kebab-case strategy name such as btc-sma-20-50-1h');
  // The tool offers the version-2 field shapes, so the draft is a version-2 spec whatever it says.
  const raw = args.spec;
  const checked = validateSpec(
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...raw, specVersion: 2 } : raw,
  );
  if (!checked.ok) problems.push(...checked.errors);
  if (!checked.ok || !name) {
    const feedback = `Invalid spec: ${problems.join('; ')}. Fix these fields ${again}`;
    return { verdict: { ok: false, problems, feedback }, problem: 'spec' };
  }
  const draft = { spec: checked.spec, name, assumptions: assumptionsOf(args.assumptions) };
  // A pair the market list lacks is a question for the trader (see checked()), not for the engine.
  const unknownPair = knownPairs !== undefined && checked.spec.pairs.some((p) => !knownPairs.includes(p));
  if (!check || unknownPair) return { verdict: { ok: true, value: draft } };
  report({ stage: 'checking' });
  const result = await check(checked.spec).catch((err: unknown) => {
    // The engine can't judge (down, no data for the pair): the strategy service checks again on create.
    logger.warn({ err }, 'engine check of the draft failed; keeping the draft unchecked');
    return null;
  });
  if (!result || result.ok) return { verdict: { ok: true, value: draft } };
  if (result.reason === 'rejected') {
    const feedback = `The spec is valid but the Freqtrade code made from it was rejected: ${result.problems.join('; ')}. Change the spec ${again}`;
    return { verdict: { ok: false, problems: result.problems, feedback }, problem: 'code' };
  }
  const found = `made no trades on the last 30 days of sample data: ${result.diagnosis}`;
  const verdict: Judgement<Draft> = {
    ok: false,
    problems: [found],
    feedback: `The spec is valid but its backtest ${found} Loosen the entry conditions so they can trigger, keep what the trader asked for, ${again}`,
    keep: { ...draft, note: `It ${found}` },
  };
  return { verdict, problem: 'no-trades' };
}

/**
 * A model's draft as the trader will see it: the defaults it filled said back, or, for a pair the market
 * list lacks or the text doesn't name, a question instead of a strategy.
 */
function checked(text: string, draft: Draft, knownPairs: readonly string[] | undefined): Draft {
  const read = sayBack({
    text,
    spec: draft.spec,
    modelLines: draft.assumptions ?? [],
    ...(knownPairs ? { knownPairs } : {}),
  });
  if (!read.ok) throw new AppError('UNKNOWN_PAIR', read.question);
  return { ...draft, assumptions: read.assumptions };
}

export function createSpecDrafter(deps: {
  model: AgentModel | undefined;
  logger: Logger;
  /** The exchange's markets (the snapshot): a model's pair must be one of them. */
  markets?: { pairs(): string[] };
  /** The engine's check of a valid draft; absent where no engine runs here (then only the spec is checked). */
  check?: SpecCheck;
}): SpecDrafter {
  return {
    async draft(description, ctx) {
      const text = description.trim();
      if (!text || !deps.model) return offline(text);
      const log = deps.logger.child({ correlationId: ctx.correlationId });
      // A progress listener that fails must not fail the draft.
      const report = (stage: DraftStage) => {
        try {
          ctx.onProgress?.(stage);
        } catch (err) {
          log.warn({ err, stage: stage.stage }, 'draft progress listener failed');
        }
      };
      let problems: string[] = [];
      let problem: Problem = 'spec';
      let tried = false;
      let drafted: Draft | undefined;
      try {
        const outcome = await generateWithRepairs<Draft>({
          model: deps.model,
          tool: DRAFT_TOOL,
          messages: [new SystemMessage(DRAFT_SYSTEM), new HumanMessage(text)],
          judge: async (args) => {
            const judged = await judge(args, deps.check, deps.markets?.pairs(), log, report);
            problem = judged.problem ?? problem;
            return judged.verdict;
          },
          logger: log,
          onTry: (attempt, maxAttempts) => {
            tried = true;
            report(
              attempt === 1 ? { stage: 'drafting' } : { stage: 'repairing', attempt, maxAttempts, problem },
            );
          },
        });
        // After the last try, a valid draft that only failed to trade is kept, with a note saying so.
        drafted = outcome?.ok ? outcome.value : outcome?.keep;
        if (outcome && !outcome.ok) problems = outcome.problems;
        if (!drafted) log.warn({ problems }, 'no valid model draft; using the offline parser');
      } catch (err) {
        log.warn({ err }, 'model draft failed; using the offline parser');
      }
      // Outside the try: a question about the model's pair goes to the trader, not to the offline parser.
      if (drafted) return checked(text, drafted, deps.markets?.pairs());
      if (tried) report({ stage: 'fallback' });
      return offline(text, problems);
    },
  };
}
