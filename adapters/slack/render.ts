// Pure translation of neutral messages into Slack Web API payloads: Block Kit posts split to fit
// Slack's limits, files to upload, and modals for forms. Nothing here talks to Slack.
import type { types } from '@slack/bolt';
import { clip, splitText } from '../../src/core/text.ts';
import type { Button, Card, Form, OutgoingMessage } from '../../src/core/types.ts';

type Block = types.KnownBlock;

/** One chat.postMessage / chat.update body. */
export type SlackPost = { text: string; blocks: Block[] };

/** One file to share in the conversation, on its own: the message that answers follows it. */
export type SlackShare = { filename: string; data: Uint8Array };

export type SlackDelivery = { posts: SlackPost[]; shares: SlackShare[] };

// Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
const MAX_BLOCKS = 50;
const SECTION_TEXT = 3000;
const HEADER_TEXT = 150;
const FIELDS_PER_SECTION = 10;
const FIELD_TEXT = 2000;
const CONTEXT_TEXT = 2000;
const BUTTONS_PER_ACTIONS = 25;
const BUTTON_TEXT = 75;
const BUTTON_VALUE = 2000;
const MODAL_TITLE = 24;
const MODAL_INPUTS = 5;
const INPUT_VALUE = 3000;
const PLACEHOLDER = 150;

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

// mrkdwn treats these three as markup; everything else is literal.
const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Escapes, then shortens the raw text until the escaped form fits `max`. */
function fitMrkdwn(text: string, max: number): string {
  let raw = text;
  while (escapeMrkdwn(raw).length > max) raw = clip(raw, raw.length - (escapeMrkdwn(raw).length - max));
  return escapeMrkdwn(raw);
}

// Message text is plain_text: the core's text is literal, so nothing in it can turn into markup.
const sections = (text: string): Block[] =>
  splitText(text, SECTION_TEXT)
    .filter((piece) => piece.trim())
    .map((piece) => ({ type: 'section', text: plain(piece) }));

function cardBlocks(card: Card): Block[] {
  const blocks: Block[] = [{ type: 'header', text: plain(clip(card.title, HEADER_TEXT)) }];
  if (card.description) blocks.push(...sections(card.description));
  for (let i = 0; i < card.fields.length; i += FIELDS_PER_SECTION) {
    const fields = card.fields.slice(i, i + FIELDS_PER_SECTION).map((f) => ({
      type: 'mrkdwn' as const,
      text: fitMrkdwn(`*${f.name}*\n${f.value}`, FIELD_TEXT),
    }));
    blocks.push({ type: 'section', fields });
  }
  if (card.footer) blocks.push({ type: 'context', elements: [plain(clip(card.footer, CONTEXT_TEXT))] });
  return blocks;
}

// Slack has no disabled button: a button that can't be pressed now is left out.
function buttonBlocks(buttons: readonly Button[]): Block[] {
  const live = buttons.filter((b) => !b.disabled);
  const blocks: Block[] = [];
  for (let i = 0; i < live.length; i += BUTTONS_PER_ACTIONS) {
    const elements = live.slice(i, i + BUTTONS_PER_ACTIONS).map((b, j) => ({
      type: 'button' as const,
      text: plain(clip(b.label, BUTTON_TEXT)),
      value: b.action.slice(0, BUTTON_VALUE),
      action_id: `gentrade:${i + j}`,
      ...(b.style === 'primary' || b.style === 'danger' ? { style: b.style } : {}),
    }));
    blocks.push({ type: 'actions', elements });
  }
  return blocks;
}

/** Groups blocks into posts of at most 50; each carries the message's notification fallback `text`. */
function toPosts(blocks: Block[], fallback: string): SlackPost[] {
  const text = fitMrkdwn(fallback, SECTION_TEXT);
  const posts: SlackPost[] = [];
  for (let i = 0; i < blocks.length; i += MAX_BLOCKS)
    posts.push({ text, blocks: blocks.slice(i, i + MAX_BLOCKS) });
  return posts;
}

/**
 * What to send for one message: posts (the first is what a progress update edits) and files to share
 * (code, attachments, a card's chart). The card goes in the posts with its buttons, after its chart's
 * file share: files.completeUploadExternal documents its `blocks` as rich text only, not interactive
 * blocks, and an image block pointing at a freshly uploaded private file is refused as invalid.
 */
export function renderMessage(msg: OutgoingMessage): SlackDelivery {
  const shares: SlackShare[] = [];
  const main: Block[] = sections(msg.text);
  if (msg.card) main.push(...cardBlocks(msg.card));
  main.push(...buttonBlocks(msg.buttons ?? []));
  const image = msg.card?.image;
  if (image) shares.push({ filename: image.filename, data: image.data });
  if (msg.code)
    shares.push({ filename: msg.code.filename, data: new TextEncoder().encode(msg.code.content) });
  for (const a of msg.attachments ?? []) shares.push({ filename: a.filename, data: a.data });
  const fallback = msg.text || msg.card?.title || shares[0]?.filename || '…';
  if (main.length === 0) main.push(...sections(fallback));
  return { posts: toPosts(main, fallback), shares };
}

/** A form as a modal. Field keys become block and action ids, so the submission maps back to them. */
export function renderModal(
  form: Form,
  privateMetadata: string,
): types.ModalView & { blocks: types.InputBlock[] } {
  return {
    type: 'modal',
    callback_id: form.submit,
    private_metadata: privateMetadata,
    title: plain(clip(form.title, MODAL_TITLE)),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: form.fields.slice(0, MODAL_INPUTS).map((f) => ({
      type: 'input',
      block_id: f.key,
      optional: true,
      label: plain(clip(f.label, FIELD_TEXT)),
      element: {
        type: 'plain_text_input',
        action_id: f.key,
        multiline: f.multiline ?? false,
        ...(f.value ? { initial_value: clip(f.value, INPUT_VALUE) } : {}),
        ...(f.placeholder ? { placeholder: plain(clip(f.placeholder, PLACEHOLDER)) } : {}),
      },
    })),
  };
}
