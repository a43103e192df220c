// Offline parser, the words of the condition grammar: each phrase a trader uses for a comparison ("drops
// below", "flips green", "comes out of oversold", "sell at 70") rewritten as one token the grammar in
// conditions.ts reads, and the words that make a phrase one to ask about rather than read.

export const OPERATORS: [RegExp, string][] = [
  // "rsi below 30 for 3 candles in a row", "drops under 30 twice in a row": a comparison held over that many
  // candles (a trend's count after "rising" reads the same token).
  [
    /\bfor\s+(?:the\s+)?(?:last\s+|past\s+)?(\d+)\s+(?:consecutive\s+|straight\s+)?(?:candles?|bars?|periods?|closes?)\s+(?:in\s+a\s+row|straight|consecutively)\b/g,
    ' HELD $1 ',
  ],
  [/\btwice\s+in\s+a\s+row\b/g, ' HELD 2 '],
  [/\b(?:three|3)\s+times\s+in\s+a\s+row\b/g, ' HELD 3 '],
  // "rising over the last 3 candles": a count of candles, not a comparison.
  [/\b(?:over|for|in|during)\s+(?:the\s+)?(?:last\s+|past\s+)?(?=\d+\s*(?:candles?|bars?|periods?)\b)/g, ' '],
  // "rises above 30", "drops below 20": the comparison, not a trend.
  [
    /\b(?:rises|rise|climbs|goes|moves|gets|pops|jumps|drops|falls|dips|sinks|slips)\s+(?=above|over|below|under|back)/g,
    ' ',
  ],
  [/\bback\s+(?=above|over|below|under)/g, ' '],
  // "the histogram turning up from below zero": rising while still under the line, not a cross of it.
  [
    /\b(?:turn(?:s|ing)?|hook(?:s|ing)?|tick(?:s|ing)?|curl(?:s|ing)?)\s+up\s+(?:from\s+)?(?:below|under)\s+(?=(?:the\s+)?(?:zero|0)\b)/g,
    ' RISE LT ',
  ],
  [
    /\b(?:turn(?:s|ing)?|hook(?:s|ing)?|tick(?:s|ing)?|curl(?:s|ing)?)\s+down\s+(?:from\s+)?(?:above|over)\s+(?=(?:the\s+)?(?:zero|0)\b)/g,
    ' FALL GT ',
  ],
  // "crosses above 30 from below": the direction is already said.
  [/\bfrom\s+(?:below|above|under|over)\b/g, ' '],
  // "a zero line cross (up)", "flips from red to green", a bare "flip": crosses of the zero line.
  [/\b(?:the\s+|a\s+)?zero[\s-]*line\s+cross(?:es|ing|over)?\s+(?:up|above|over)\b/g, ' XA 0 '],
  [/\b(?:the\s+|a\s+)?zero[\s-]*line\s+cross(?:es|ing|over)?\s+(?:down|below|under)\b/g, ' XB 0 '],
  [/\b(?:the\s+|a\s+)?zero[\s-]*line\s+cross(?:es|ing|over)?\b/g, ' X 0 '],
  [/\bflip(?:s|ped|ping)?\s+from\s+red\s+to\s+green\b/g, ' XA 0 '],
  [/\bflip(?:s|ped|ping)?\s+from\s+green\s+to\s+red\b/g, ' XB 0 '],
  [/\bflip(?:s|ped|ping)?\b(?!\s+(?:green|red|positive|negative|bullish|bearish|up|down))/g, ' X 0 '],
  // "loses the 50 sma" is a cross below it; "reclaims vwap" a cross back above.
  [/\b(?:loses|lose|lost|losing)\b/g, ' XB '],
  [/\b(?:reclaims?|reclaimed|reclaiming)\b/g, ' XA '],
  // "the histogram turns positive", "flips negative": a cross of the zero line; "is positive": above it.
  [
    /\b(?:turns?|turning|flips?|flipping|goes|going|crosses|crossing)\s+(?:positive|green|bullish)\b/g,
    ' XA 0 ',
  ],
  [
    /\b(?:turns?|turning|flips?|flipping|goes|going|crosses|crossing)\s+(?:negative|red|bearish)\b/g,
    ' XB 0 ',
  ],
  [/\b(?:is\s+|stays\s+)?positive\b/g, ' GT 0 '],
  [/\b(?:is\s+|stays\s+)?negative\b/g, ' LT 0 '],
  [/\b(?:the\s+)?zero\s+line\b/g, ' 0 '],
  [/\bbullish\s+cross(?:es|ing|over)?\b/g, ' XA '],
  [/\bbearish\s+cross(?:es|ing|over)?\b/g, ' XB '],
  [
    /\b(?:cross(?:es|ed|ing)?|crossover)\s+(?:back\s+)?(?:above|over|up(?:wards)?)(?:\s+through)?\b|\bbreak(?:s|ing)?\s+(?:out\s+)?(?:above|over|through)\b/g,
    ' XA ',
  ],
  [
    /\b(?:cross(?:es|ed|ing)?|crossover)\s+(?:back\s+)?(?:below|under|down(?:wards)?)(?:\s+through)?\b|\bbreak(?:s|ing)?\s+(?:down\s+)?(?:below|under)\b/g,
    ' XB ',
  ],
  [/\bcross(?:es|ed|ing|overs?)?\b/g, ' X '],
  // "breaks the 20-candle high": a cross whose way the side of the trade decides, like a bare "cross".
  [/\b(?:break(?:s|ing)?|broke)\b/g, ' X '],
  [/\bbetween\b/g, ' BTW '],
  // "comes out of oversold", "leaves the overbought zone", "turns up from oversold": crossing back out.
  [
    /\b(?:(?:\w+\s+)?(?:back\s+)?out\s+of|(?:exits?|exiting|leaves?|leaving)(?:\s+from)?|(?:recover\w*|turns?\s+up|turning\s+up|hooks?\s+up)\s+from)\s+(?:the\s+)?oversold(?:\s+(?:zone|territory|area|levels?))?/g,
    ' OSX ',
  ],
  [
    /\b(?:(?:\w+\s+)?(?:back\s+)?out\s+of|(?:exits?|exiting|leaves?|leaving)(?:\s+from)?|(?:turns?\s+down|turning\s+down|hooks?\s+down|drops?\s+from|falls?\s+from)\s+from)\s+(?:the\s+)?overbought(?:\s+(?:zone|territory|area|levels?))?/g,
    ' OBX ',
  ],
  // "stoch is oversold", "mfi and rsi both overbought": the usual zone of that oscillator.
  [
    /\b(?:is\s+|are\s+|gets?\s+|goes\s+|becomes?\s+|both\s+|in\s+)*(?:the\s+)?oversold(?:\s+(?:zone|territory|area))?\b/g,
    ' OS ',
  ],
  [
    /\b(?:is\s+|are\s+|gets?\s+|goes\s+|becomes?\s+|both\s+|in\s+)*(?:the\s+)?overbought(?:\s+(?:zone|territory|area))?\b/g,
    ' OB ',
  ],
  // "cover when it's back to 50": the level reached again.
  [/\b(?:(?:is|it'?s|its|gets?|goes|comes?)\s+)?back\s+(?:to|at)\s+(?=(?:§[A-Z]\s+)?-?\d)/g, ' AT '],
  // "sell at 70", "rsi hits 80", "cover when it reaches 40": the level reached, from either side.
  [/\b(?:at|hits?|hitting|reach(?:es|ing)?|tags?|touch(?:es|ing)?)\s+(?=(?:§[A-Z]\s+)?-?\d)/g, ' AT '],
  [
    /\b(?:is\s+)?(?:rising|rises|rise|increasing|increases|trending\s+up|turning\s+up|turns\s+up|sloping\s+up|going\s+up)\b/g,
    ' RISE ',
  ],
  [
    /\b(?:is\s+)?(?:falling|falls|fall|decreasing|decreases|declining|trending\s+down|turning\s+down|turns\s+down|sloping\s+down|going\s+down)\b/g,
    ' FALL ',
  ],
  [/>=?|\b(?:above|over|greater\s+than|more\s+than|higher\s+than|exceeds?)\b/g, ' GT '],
  [/<=?|\b(?:below|under|less\s+than|lower\s+than)\b/g, ' LT '],
  [/\bzero\b/g, ' 0 '],
  [/\b(?:candles?|bars?|periods?)\b/g, ' CANDLES '],
];

// A full stop after a number ends the sentence ("RSI is above 50."); a decimal point does not.
export const TOKEN =
  /§[A-Z]|\b(?:XA|XB|X|BTW|RISE|FALL|GT|LT|OSX|OBX|OS|OB|AT|CANDLES|HELD)\b|(?<![\w.])-?\d+(?:\.\d+)?(?!\w|\.\d)/g;
// Words that name a line or a level: a phrase with one of them and no condition was not understood.
export const UNREAD_LINE =
  /\b(?:bands?|lines?|channels?|support|resistance|levels?|highs?|lows?|averages?|ema|sma|wma|ma|vwap|oversold|overbought|zones?)\b/;
export const PAST = /\b(?:was|were|recently|previously|earlier|lately|before\s+that)\b/;
// Oscillators the spec language doesn't have: "williams %r is oversold" is asked about, never read as RSI.
export const UNKNOWN_OSCILLATOR =
  /\bwilliams\b|%\s*r\b|\bultimate\b|\boscillator\b|\bawesome\b|\bmomentum\b|\broc\b|\btsi\b|\bkdj\b/;
export const NEGATION = /\b(?:not|never|no\s+longer|isn'?t|doesn'?t|don'?t|without)\b/;
