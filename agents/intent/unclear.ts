// What the bot says without a model when the offline classifier found no request it can carry out. Text
// with words a request is made of ("what do you think about the market?") is a request that needs a
// model, and is told so plainly; text without any (a typo, keyboard mash) was not understood, and gets
// a hint of what is understood instead of a claim that a model would help.

/** Words that any English request, question or trading talk contains at least one of. */
const COMMON = new Set(
  (
    'a an the and or but not no to of in on at by for with from about into over as is are was were be been ' +
    'do does did done can could would should will shall may might must have has had i me my mine we us our ' +
    'you your it its this that these those there here what which who whom whose when where why how all any ' +
    'some more most less much many very just only also too then than if so up down out off again now please ' +
    'tell give show make let think know want need like look help use set get go run try say explain ' +
    'market markets price prices buy sell trade trades trading strategy strategies bot crypto coin coins ' +
    'bitcoin btc eth ether ethereum sol stock stocks chart signal signals profit loss stop risk money ' +
    'good bad better best worse worst big small high low long short day week month year hour'
  ).split(' '),
);

export const NEEDS_MODEL =
  'That needs a language model, and none is configured (set OPENAI_API_KEY). Without one I understand ' +
  'strategy descriptions like "BTC SMA 20/50 cross on 1h with a 5% stop", "backtest it last 6 months", ' +
  '"make the stop 3%", "why so few trades?", "list my strategies" and the commands in /help.';

export const NOT_CAUGHT =
  'I didn\'t catch that. Try a strategy description such as "BTC SMA 20/50 cross on 1h with a 5% stop", ' +
  '"backtest it last 6 months", "make the stop 3%" or "why so few trades?", or type /help.';

/** True when `text` has at least one word a request is made of. */
function looksLikeRequest(text: string): boolean {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return words.some((w) => COMMON.has(w));
}

/** The offline answer to text no tool took: "needs a model" for a request, "didn't catch that" otherwise. */
export function offlineFallback(text: string): string {
  return looksLikeRequest(text) ? NEEDS_MODEL : NOT_CAUGHT;
}
