// Human in the loop: before a delete or a replaced spec, the graph stops at `interrupt()` and the
// question waits in the checkpoint (so it survives a restart) until a button press or a typed yes/no
// resumes it with `Command({ resume })`. Nothing before the interrupt has side effects: LangGraph runs
// this node again from the top when it resumes.
import { interrupt, type LangGraphRunnableConfig } from '@langchain/langgraph';
import { isAppError } from '../../src/errors.ts';
import { type Pending, type Question, ResumeSchema, type State } from '../state.ts';
import type { AgentTools } from '../tools/types.ts';
import type { TurnRegistry } from '../turns.ts';

const EXPIRED = 'That question has expired; ask again.';

function questionText(p: Pending): string {
  if (p.kind === 'delete') return `Delete ${p.name}? This cannot be undone.`;
  return `Change ${p.name}: ${p.changes.join('; ')}. Save it as a new version?`;
}

function cancelled(p: Pending): string {
  return p.kind === 'delete' ? `Cancelled; ${p.name} was kept.` : `Cancelled; ${p.name} was not changed.`;
}

export function createConfirmNode(deps: { tools: AgentTools; turns: TurnRegistry }) {
  return async (state: State, config: LangGraphRunnableConfig) => {
    const pending = state.pending;
    if (!pending) return {};
    const question: Question = {
      key: pending.key,
      question: questionText(pending),
      kind: pending.kind,
      name: pending.name,
      askedAt: pending.askedAt,
    };
    const answer = ResumeSchema.safeParse(interrupt(question));
    const turn = deps.turns.of(config);
    const done = { pending: null, answered: [pending.key] };
    if (!answer.success || !answer.data.approve || answer.data.key !== pending.key) {
      const why = answer.success ? answer.data.why : 'answer';
      if (why === 'expired') turn.replies.push({ text: EXPIRED });
      else if (why !== 'quiet') turn.replies.push({ text: cancelled(pending) });
      return done;
    }
    try {
      const outcome = await deps.tools.commit(pending, turn.ctx);
      turn.replies.push(...outcome.replies);
      // After a delete "it" means nothing until the user says which strategy (or a tool says it for them).
      return {
        ...done,
        focus: outcome.focus ?? null,
        gone: pending.kind === 'delete' ? pending.name : null,
      };
    } catch (err) {
      // A refusal (it changed meanwhile, it's gone) is an answer, not a broken conversation.
      if (!isAppError(err)) throw err;
      turn.replies.push({ text: err.userMessage });
      return done;
    }
  };
}
