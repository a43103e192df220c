// Cutting and splitting text for platforms with length limits. Every adapter's renderer needs the same
// two operations (cut one string to fit a field, split a long reply into several messages), and each
// platform rejects a lone UTF-16 surrogate, so they live here once.

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The longest prefix of at most `max` UTF-16 units that doesn't end inside a surrogate pair. */
function prefixEnd(text: string, max: number): number {
  if (text.length <= max) return text.length;
  return max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
}

/** Cuts to at most `max` UTF-16 units, ending in "…" when cut; never splits a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  return `${text.slice(0, prefixEnd(text, max - 1))}…`;
}

/**
 * Splits text into pieces of at most `max` UTF-16 units, cutting at a line break, else a space, in the
 * second half of the window, else anywhere outside a surrogate pair. The separator a piece was cut at
 * is dropped; with `keepSeparators` it stays at the end of the piece so the pieces concatenate back.
 */
export function splitText(text: string, max: number, opts: { keepSeparators?: boolean } = {}): string[] {
  const keep = opts.keepSeparators === true;
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, prefixEnd(rest, max + (keep ? 0 : 1)));
    let end = -1;
    for (const sep of ['\n', ' ']) {
      const at = window.lastIndexOf(sep, keep ? max - 1 : max);
      if (at > max / 2) {
        end = at;
        break;
      }
    }
    if (end < 0) {
      const hard = prefixEnd(rest, max);
      pieces.push(rest.slice(0, hard));
      rest = rest.slice(hard);
      continue;
    }
    pieces.push(rest.slice(0, keep ? end + 1 : end));
    rest = rest.slice(end + 1);
  }
  if (keep || rest.trim() !== '' || pieces.length === 0) pieces.push(rest);
  return pieces;
}
