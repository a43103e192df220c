// Reads a typed answer to a confirmation question against the question it answers. A yes is a plain
// yes-word ("yes", "ok", "go ahead"), optionally followed by the question's own verb ("yes, delete it"
// for a delete, "yes, save it" for an edit), or that verb alone; a no is a no-word ("no", "cancel",
// "keep it"), optionally with words that only restate it ("no, keep it", "don't delete it"). Anything
// else is not an answer: "save it" never confirms a delete, "delete it" never confirms an edit.

type AnswerKind = 'delete' | 'edit';

const YES_WORD = '(?:yes|y|yep|yeah|yup|sure|ok|okay|confirm(?:ed)?|do it|go ahead|please do)';
const NO_WORD = "(?:no|n|nope|nah|cancel(?:led)?|stop|abort|don'?t|do not|keep it|keep|never ?mind|not now)";
const TARGET = '(?:it|this|that|this one|that one|the strategy|this strategy)';
const VERB: Record<AnswerKind, string> = {
  delete: '(?:delete|remove)',
  edit: '(?:save|apply|change|update)(?: (?:the )?(?:changes?|edit|new version))?',
};
// Words that restate a no without asking for anything else.
const RESTATE = '(?:it|this|that|them|one|the|strategy|changes?|edit|delete|remove|save|apply|change)';

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^a-z0-9' -]+/g, ' ')
    .replace(/\b(please|thanks|thank you)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "yes" or "no" when `text` answers a question of `kind` about strategy `name`; null when it doesn't. */
export function readConfirmation(
  text: string,
  question: { kind?: AnswerKind | undefined; name?: string | undefined } = {},
): 'yes' | 'no' | null {
  const t = normalize(text);
  if (!t) return null;
  const target = question.name ? `(?:${TARGET}|${literal(question.name)})` : TARGET;
  const noTail = question.name ? `(?:${RESTATE}|${literal(question.name)})` : RESTATE;
  if (new RegExp(`^${NO_WORD}(?: (?:${NO_WORD}|${noTail}))*$`).test(t)) return 'no';
  const verb = question.kind ? `${VERB[question.kind]}(?: ${target})?` : null;
  const yes = verb
    ? `^(?:${YES_WORD}(?: ${YES_WORD})*(?: ${verb})?|${verb})$`
    : `^${YES_WORD}(?: ${YES_WORD})*$`;
  return new RegExp(yes).test(t) ? 'yes' : null;
}
