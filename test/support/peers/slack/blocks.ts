// What the Slack peer accepts as Block Kit and modals, with Slack's documented limits, so a payload
// Slack would refuse with invalid_blocks is refused here too; and how a stored message reads as text.
import { z } from 'zod';

const Plain = (max: number) =>
  z.object({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });
const Text = (max: number) =>
  z.object({ type: z.enum(['plain_text', 'mrkdwn']), text: z.string().min(1).max(max) });
const ButtonElement = z.object({
  type: z.literal('button'),
  text: Plain(75),
  action_id: z.string().min(1).max(255),
  value: z.string().max(2000).optional(),
  style: z.enum(['primary', 'danger']).optional(),
});
const MessageBlock = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('section'),
    text: Text(3000).optional(),
    fields: z.array(Text(2000)).min(1).max(10).optional(),
  }),
  z.object({ type: z.literal('header'), text: Plain(150) }),
  z.object({ type: z.literal('context'), elements: z.array(Text(3000)).min(1).max(10) }),
  z.object({ type: z.literal('actions'), elements: z.array(ButtonElement).min(1).max(25) }),
  z.object({
    type: z.literal('image'),
    alt_text: z.string().min(1),
    slack_file: z.object({ id: z.string() }),
  }),
  z.object({ type: z.literal('divider') }),
]);
export type Block = z.infer<typeof MessageBlock>;

export const MessageBlocks = z
  .array(MessageBlock)
  .max(50)
  .refine((bs) => bs.every((b) => b.type !== 'section' || b.text || b.fields), 'section needs text or fields')
  .refine((bs) => {
    const ids = bs.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    return new Set(ids).size === ids.length;
  }, 'action_id must be unique in a message');

export const Modal = z.object({
  type: z.literal('modal'),
  callback_id: z.string().max(255),
  private_metadata: z.string().max(3000).optional(),
  title: Plain(24),
  submit: Plain(24).optional(),
  close: Plain(24).optional(),
  blocks: z
    .array(
      z.object({
        type: z.literal('input'),
        block_id: z.string().min(1).max(255),
        label: Plain(2000),
        optional: z.boolean().optional(),
        element: z.object({
          type: z.literal('plain_text_input'),
          action_id: z.string().min(1).max(255),
          initial_value: z.string().max(3000).optional(),
          multiline: z.boolean().optional(),
          placeholder: Plain(150).optional(),
        }),
      }),
    )
    .min(1)
    .max(100),
});
export type PeerModal = z.infer<typeof Modal>;

export const unescapeMrkdwn = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The text a person sees in a block, with mrkdwn escapes undone. */
export function blockText(b: Block): string {
  const t = (o: { type: string; text: string }) => (o.type === 'mrkdwn' ? unescapeMrkdwn(o.text) : o.text);
  if (b.type === 'header') return b.text.text;
  if (b.type === 'section')
    return [b.text ? t(b.text) : '', ...(b.fields ?? []).map(t)].filter(Boolean).join('\n');
  if (b.type === 'context') return b.elements.map(t).join(' ');
  return '';
}
