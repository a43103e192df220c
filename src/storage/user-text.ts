// Text people typed that GenTrade stores and shows back (strategy descriptions, display names) is
// cleaned on its way into the database, so a card renders the same on every platform and can't be
// reordered or hidden: lone UTF-16 surrogates (which platforms reject), bidirectional overrides and
// isolates (which reorder what follows them), and control characters other than line breaks and tabs
// are removed. Code is never passed through this: it is stored exactly as the trader gave it.

// Lone surrogates: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Bidi embeddings, overrides and isolates, and the direction marks.
const BIDI = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;
// C0 and C1 controls except tab and line feed; a carriage return goes too (a CRLF becomes a LF).
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function cleanUserText(text: string): string {
  return text.replace(LONE_SURROGATE, '').replace(BIDI, '').replace(CONTROL, '');
}

/** A display name, cleaned; one that cleans to nothing reads "(no name)". */
export function cleanDisplayName(text: string | null): string | null {
  if (text === null || text === undefined) return text;
  return cleanUserText(text).trim() || '(no name)';
}
