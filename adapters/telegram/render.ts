// Renders a neutral OutgoingMessage as the Telegram sends that show it, in order. Pure: index.ts and
// sink.ts do the sending. Text goes out in HTML parse mode, so every piece of content is escaped.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { splitText } from '../../src/core/text.ts';
import type { Button, Card, OutgoingMessage } from '../../src/core/types.ts';
import { leftOutLine } from '../../src/delivery-errors.ts';

/** Telegram counts these after entity parsing, i.e. on the text without tags. */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
const CALLBACK_DATA_BYTES = 64;
const SHORT_LABEL = 16;

type TelegramFile = { data: Uint8Array; filename: string };

type VisibleSend =
  | { kind: 'text'; html: string; keyboard?: InlineKeyboardMarkup; forceReply?: boolean }
  | { kind: 'photo'; file: TelegramFile; caption: string; keyboard?: InlineKeyboardMarkup };

export type TelegramSend = VisibleSend | { kind: 'document'; file: TelegramFile };

/** A line of plain text, optionally wrapped in one tag once escaped. */
type Piece = { plain: string; tag?: 'b' | 'i' };

function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const toHtml = (p: Piece) => (p.tag ? `<${p.tag}>${escapeHtml(p.plain)}</${p.tag}>` : escapeHtml(p.plain));

/** Packs lines into HTML messages whose visible text stays within the limits. */
function pack(pieces: Piece[], firstLimit: number): string[] {
  const out: string[] = [];
  let lines: string[] = [];
  let used = 0;
  const flush = () => {
    if (lines.length > 0) out.push(lines.join('\n'));
    lines = [];
    used = 0;
  };
  const todo = [...pieces];
  for (let p = todo.shift(); p; p = todo.shift()) {
    if (p.plain === '' && lines.length === 0) continue; // no blank line at the top of a message
    const limit = out.length === 0 ? firstLimit : TEXT_LIMIT;
    const need = (lines.length > 0 ? used + 1 : 0) + p.plain.length;
    if (need <= limit) {
      lines.push(toHtml(p));
      used = need;
      continue;
    }
    todo.unshift(p);
    if (lines.length > 0) {
      flush();
      continue;
    }
    // One line longer than a whole message: it fills this one, cut where it reads best.
    const [head = ''] = splitText(p.plain, limit, { keepSeparators: true });
    todo[0] = { ...p, plain: p.plain.slice(head.length) };
    lines.push(toHtml({ ...p, plain: head.replace(/[\n ]$/, '') }));
    flush();
  }
  flush();
  return out;
}

function cardPieces(card: Card): Piece[] {
  const pieces: Piece[] = [{ plain: card.title, tag: 'b' }];
  if (card.description) pieces.push({ plain: card.description });
  for (const f of card.fields) pieces.push({ plain: `${f.name}: ${f.value}` });
  if (card.footer) pieces.push({ plain: '' }, { plain: card.footer, tag: 'i' });
  return pieces;
}

/** Short labels share a row (up to three); long ones, like suggestions, get a row each. */
function renderKeyboard(buttons: Button[] = []): { keyboard?: InlineKeyboardMarkup; dropped: string[] } {
  const dropped: string[] = [];
  const rows: InlineKeyboardButton[][] = [];
  // Telegram has no disabled buttons: a button that can't be pressed now is left out.
  for (const b of buttons.filter((x) => !x.disabled)) {
    const bytes = Buffer.byteLength(b.action, 'utf8');
    if (bytes === 0 || bytes > CALLBACK_DATA_BYTES) {
      dropped.push(b.label);
      continue;
    }
    const button = { text: b.label, callback_data: b.action };
    const last = rows.at(-1);
    const fits = last && last.length < 3 && last.every((x) => x.text.length <= SHORT_LABEL);
    if (fits && b.label.length <= SHORT_LABEL) last.push(button);
    else rows.push([button]);
  }
  return rows.length > 0 ? { keyboard: { inline_keyboard: rows }, dropped } : { dropped };
}

/** The sends in order, and the labels of buttons left out because their action isn't valid callback_data. */
export function renderMessage(msg: OutgoingMessage): { sends: TelegramSend[]; dropped: string[] } {
  const { keyboard, dropped } = renderKeyboard(msg.buttons);
  const textPieces: Piece[] = msg.text ? [{ plain: msg.text }] : [];
  const image = msg.card?.image;
  const sends: VisibleSend[] = [];
  if (msg.card && !image) textPieces.push({ plain: '' }, ...cardPieces(msg.card));
  for (const html of pack(textPieces, TEXT_LIMIT)) sends.push({ kind: 'text', html });
  if (msg.card && image) {
    // The card rides on its image; what doesn't fit the caption follows as text.
    const [caption = '', ...rest] = pack(cardPieces(msg.card), CAPTION_LIMIT);
    sends.push({ kind: 'photo', file: { data: image.data, filename: image.filename }, caption });
    for (const html of rest) sends.push({ kind: 'text', html });
  }
  // Buttons go on the last message of the text and card, where the reader ends up.
  const last = sends.at(-1);
  if (keyboard && last) last.keyboard = keyboard;
  // Privacy mode hides plain group messages from bots; a forced reply to the question reaches us.
  else if (msg.expectsReply && last?.kind === 'text') last.forceReply = true;
  const files: TelegramFile[] = (msg.attachments ?? []).map((a) => ({ data: a.data, filename: a.filename }));
  if (msg.code)
    files.unshift({ data: new TextEncoder().encode(msg.code.content), filename: msg.code.filename });
  const documents = files.map((file): TelegramSend => ({ kind: 'document', file }));
  return { sends: [...sends, ...documents], dropped };
}

/** A chart or a file may be left out when it keeps failing; the text carries the message. */
export const isOptional = (item: TelegramSend) => item.kind !== 'text';

/**
 * What goes out instead of a part left out after several tries: a line saying so, and for a chart its
 * caption (the card) and buttons as text, so the card itself is never lost with its image.
 */
export function leftOut(item: TelegramSend): TelegramSend {
  if (item.kind === 'text') return item;
  const line = `<i>${escapeHtml(leftOutLine(item.kind === 'photo' ? 'the chart' : item.file.filename))}</i>`;
  if (item.kind === 'document') return { kind: 'text', html: line };
  return { kind: 'text', html: item.caption ? `${item.caption}\n\n${line}` : line, keyboard: item.keyboard };
}
