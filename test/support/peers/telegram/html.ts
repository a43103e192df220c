// Telegram's HTML parse mode as the peer needs it: the visible text of a message, or the 400 Telegram
// answers for markup it refuses, so a renderer that forgets to escape fails here as it would live.
import { bad } from './wire.ts';

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'code',
  'pre',
  'a',
  'blockquote',
]);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function entityText(all: string, entity: string): string {
  const e = entity.toLowerCase();
  const code = e.startsWith('#x')
    ? Number.parseInt(e.slice(2), 16)
    : e.startsWith('#')
      ? Number(e.slice(1))
      : NaN;
  const text = ENTITIES[e] ?? (Number.isNaN(code) ? undefined : String.fromCodePoint(code));
  if (text === undefined) throw bad(`can't parse entities: unknown entity ${all}`);
  return text;
}

/** The visible text of `html`; throws Telegram's 400 on unsupported, unmatched or unescaped markup. */
function parseHtml(html: string): string {
  let out = '';
  const open: string[] = [];
  const re = /<(\/?)([a-z-]+)(?:\s[^>]*)?>|&(#x[0-9a-f]+|#\d+|[a-z]+);|[<>&]/gi;
  let last = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    out += html.slice(last, m.index);
    last = re.lastIndex;
    const [all, close, tag, entity] = m;
    if (tag) {
      const name = tag.toLowerCase();
      if (!TAGS.has(name)) throw bad(`can't parse entities: Unsupported start tag "${name}"`);
      if (!close) open.push(name);
      else if (open.pop() !== name) throw bad(`can't parse entities: Unmatched end tag "${name}"`);
    } else if (entity) {
      out += entityText(all, entity);
    } else {
      throw bad(`can't parse entities: unescaped "${all}"`);
    }
  }
  if (open.length > 0) throw bad(`can't parse entities: unclosed tag "${open.at(-1)}"`);
  return out + html.slice(last);
}

export function visible(text: string, parseMode: string | undefined): string {
  return parseMode === 'HTML' ? parseHtml(text) : text;
}
