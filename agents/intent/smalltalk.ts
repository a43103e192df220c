// Small talk the bot answers without a model: thanks, acknowledgements ("ok", "great"), greetings,
// "how are you" and goodbyes. Only a message made of nothing else counts; one set off before a request
// ("thanks, show it") is dropped so the request is read. The answer is short and points at what to do
// next. Anything else conversational still needs a model.

type Kind = 'thanks' | 'greeting' | 'howdy' | 'bye' | 'ack';

const WORDS: Record<Kind, string> = {
  thanks:
    '(?:thanks?(?: you)?(?: (?:so|very) much| a lot| a ton)?|thx|ty|tysm|cheers|much appreciated|appreciate it|thank u)',
  greeting:
    '(?:hi|hello|hey|hiya|howdy|yo|good (?:morning|afternoon|evening|day)|greetings)(?: there| bot| gentrade)?',
  howdy:
    "(?:how are (?:you|u|things)(?: doing)?(?: today)?|how(?:'s| is) it going|how do you do|what's up|whats up|sup|wassup)",
  bye: '(?:bye|goodbye|bye bye|see (?:you|ya)(?: later)?|later|good night|gn|cya)',
  ack: "(?:ok|okay|k|kk|okey|alright|all right|fine|good|great|cool|nice|awesome|perfect|excellent|wow|lol|got it|gotcha|understood|i see|makes sense|sounds good|looks good|that's great|that is great|great job|well done|nice one|neat|sweet)",
};

const REPLIES: Record<Kind, string> = {
  thanks: 'You\'re welcome! Say what\'s next, for example "backtest it last 6 months", or type /help.',
  greeting:
    'Hi! Describe a strategy, for example "BTC SMA 20/50 cross on 1h with a 5% stop", or type /help to see what I can do.',
  howdy:
    'All good here, ready when you are. Describe a strategy, say "backtest it last 6 months", or type /help.',
  bye: 'Bye! Your strategies and results stay here for next time.',
  ack: 'Good. What next? For example "backtest it last 6 months", "make the stop 3%" or "why so few trades?".',
};

// Thanks wins over a greeting or an acknowledgement in the same message ("ok thanks", "hi, thanks").
const PRIORITY: Kind[] = ['thanks', 'bye', 'howdy', 'greeting', 'ack'];
const ANY = `(?:${Object.values(WORDS).join('|')})`;
const WHOLE = new RegExp(`^${ANY}(?: ${ANY})*$`);

// A pleasantry set off by punctuation before a request: "thanks, show it", "great! now make the stop 3%".
const LEADING = new RegExp(`^${ANY}(?:[\\s,]+${ANY})*\\s*[,.!]+\\s*(?:now\\s+|then\\s+)?`, 'i');

/** `text` without a leading pleasantry ("ok, backtest it" -> "backtest it"); as is when it has none. */
export function withoutPleasantry(text: string): string {
  const m = LEADING.exec(text.replace(/[’‘]/g, "'"));
  const rest = m ? text.slice(m[0].length).trim() : '';
  return rest ? rest : text;
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A short friendly answer when `text` is only small talk; null when it asks for anything. */
export function smallTalkReply(text: string): string | null {
  const t = normalize(text);
  // A message of only emoji or punctuation ("👍", "!!") has no words left: an acknowledgement too.
  if (!t) return /[\p{Extended_Pictographic}]/u.test(text) ? REPLIES.ack : null;
  if (!WHOLE.test(t)) return null;
  const kind = PRIORITY.find((k) => new RegExp(`(?:^| )${WORDS[k]}(?: |$)`).test(t)) ?? 'ack';
  return REPLIES[kind];
}
