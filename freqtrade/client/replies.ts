// Turns the engine's replies (the warm server's lines, a one-shot command's last line) into typed results
// or AppErrors with a sentence a trader can act on; a sandbox limit (CPU, memory, wall clock) says which
// one stopped the run.
import { AppError } from '../../src/errors.ts';
import { engineError } from '../runner.ts';
import { userText } from '../user-text.ts';
import {
  BacktestSuccessSchema,
  type EngineFailure,
  type EngineReply,
  FailureSchema,
  HyperoptSuccessSchema,
  type ReplyLine,
} from './protocol.ts';

function unreadable(reply: EngineReply, detail: string): AppError {
  return new AppError('ENGINE_FAILED', 'The backtest engine gave an answer I could not read. Try again.', {
    detail: `${detail}: ${JSON.stringify(reply).slice(0, 500)}`,
  });
}

/** The failure as an AppError; `timeoutMessage` words a wall-clock stop for the caller's context. */
export function failureError(failure: EngineFailure, timeoutMessage?: string): AppError {
  if (failure.code === 'LIMIT') {
    const detail = `LIMIT ${failure.rule ?? '?'}: ${failure.message}`;
    if (failure.rule === 'timeout')
      return new AppError('ENGINE_TIMEOUT', timeoutMessage ?? userText(failure.message), { detail });
    return new AppError('ENGINE_FAILED', userText(failure.message), { detail });
  }
  return engineError(failure.code, failure.message);
}

/** A failed reply parsed, or undefined when the reply is a success. */
export function readFailure(reply: EngineReply): EngineFailure | undefined {
  if (reply.ok) return undefined;
  const failure = FailureSchema.safeParse(reply);
  if (!failure.success) throw unreadable(reply, 'bad failure reply');
  return failure.data;
}

/** A backtest reply: the stored result's path and trade count, or the engine's refusal as an AppError. */
export function readBacktestReply(reply: ReplyLine, timeoutMessage?: string) {
  const failure = readFailure(reply);
  if (failure) throw failureError(failure, timeoutMessage);
  const success = BacktestSuccessSchema.safeParse(reply);
  if (!success.success) throw unreadable(reply, 'bad backtest reply');
  return success.data;
}

/** A hyperopt reply: the best epoch, the search's size and the parts' stored results, or its refusal. */
export function readHyperoptReply(reply: EngineReply, timeoutMessage?: string) {
  const failure = readFailure(reply);
  if (failure) throw failureError(failure, timeoutMessage);
  const success = HyperoptSuccessSchema.safeParse(reply);
  if (!success.success) throw unreadable(reply, 'bad hyperopt reply');
  return success.data;
}
