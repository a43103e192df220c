// The one place where text that strategy code or the engine wrote becomes text a chat user sees.
// Strategy code is untrusted and controls its exception messages: a 300 KB message full of terminal
// escape codes must not flood a chat or repaint the operator's console, and the machine's paths
// (home, cache, data and engine folders) are nobody's business in a chat. The full text stays in the
// AppError's detail, which the log keeps with the correlation id.

/** What a user sees of engine text at most. */
export const USER_TEXT_LIMITS = { lines: 5, chars: 400 } as const;

/** Beyond this the text is not even scanned: what the user sees comes from the first few hundred characters. */
const SCAN_CHARS = 64 * 1024;

// ECMA-48 sequences: CSI (ESC [ or the C1 byte 0x9b), OSC/DCS/SOS/PM/APC strings up to their
// terminator (or the line end), and two-byte escapes. What they would do to a terminal is why they go.
const ESCAPES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's job
  /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -~]/g;
// C0 and C1 controls except newline (tabs become spaces first), DEL, and the bidirectional overrides
// that make text read differently from what it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's job
const CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// An absolute path of two or more segments (or one under ~), not the tail of a word ("BTC/USDT", "1/2").
const PATHS = /(?<![\w.~-])(?:~|\/[\w.@+-]+)(?:\/[\w.@+-]+)+\/?|(?<![\w.~-])~\/[\w.@+-]+/g;
// A file's own name is worth keeping ("strategy.py", line 12); a folder's name may be a user name.
const FILE_NAME = /^[\w@+-][\w.@+-]*\.[A-Za-z0-9]{1,10}$/;

function shortPath(found: string): string {
  const base = found.replace(/\/+$/, '').split('/').pop() ?? '';
  return FILE_NAME.test(base) ? base : '<path>';
}

/** Control characters and escape sequences removed, line ends made plain. */
function withoutControls(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROLS, '');
}

/** Absolute paths replaced by the file's name, or `<path>` for a folder. */
function withoutPaths(text: string): string {
  return text.replace(PATHS, shortPath);
}

/**
 * Engine or strategy text as a user may see it: escape sequences and control characters removed,
 * the machine's paths replaced, at most USER_TEXT_LIMITS lines and characters (blank lines dropped,
 * an ellipsis where something was cut).
 */
export function userText(raw: string): string {
  const scanned = raw.length > SCAN_CHARS ? raw.slice(0, SCAN_CHARS) : raw;
  const lines = withoutPaths(withoutControls(scanned))
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .filter((line) => line.trim() !== '');
  const kept = lines.slice(0, USER_TEXT_LIMITS.lines);
  // Code points, not UTF-16 units, so a cut never splits an emoji into a broken surrogate.
  const chars = Array.from(kept.join('\n'));
  const cut =
    kept.length < lines.length || scanned.length < raw.length || chars.length > USER_TEXT_LIMITS.chars;
  if (!cut) return chars.join('');
  const head = chars.slice(0, USER_TEXT_LIMITS.chars - 1).join('');
  return `${head.replace(/\s+$/, '')}…`;
}
