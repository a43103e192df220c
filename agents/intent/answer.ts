// Reads a typed answer to a confirmation question: "yes" / "no" and their usual variants. Anything else
// is not an answer (the person moved on), which the agent treats as "no" before handling the new text.

const YES =
  /^(y|yes|yep|yeah|yup|sure|ok|okay|confirm(ed)?|do it|go ahead|please do|delete it|save it|yes please)[.! ]*$/i;
const NO = /^(n|no|nope|nah|cancel|stop|don'?t|keep it|never ?mind|no thanks|abort)[.! ]*$/i;

export function readConfirmation(text: string): 'yes' | 'no' | null {
  const t = text.trim();
  if (YES.test(t)) return 'yes';
  if (NO.test(t)) return 'no';
  return null;
}
