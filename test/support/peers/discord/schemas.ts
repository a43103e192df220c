// The Discord peer's wire schemas, with Discord's own limits: a body that breaks one is answered
// 400 "Invalid Form Body" (code 50035), as Discord does, so a renderer that oversteps fails loudly.
import { z } from 'zod';

const Embed = z
  .object({
    title: z.string().max(256).optional(),
    description: z.string().max(4096).optional(),
    fields: z
      .array(
        z.object({
          name: z.string().min(1).max(256),
          value: z.string().min(1).max(1024),
          inline: z.boolean().optional(),
        }),
      )
      .max(25)
      .optional(),
    footer: z.object({ text: z.string().max(2048) }).optional(),
    image: z.object({ url: z.string() }).optional(),
  })
  .refine(
    (e) =>
      [e.title, e.description, e.footer?.text, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].reduce(
        (n, s) => n + (s?.length ?? 0),
        0,
      ) <= 6000,
    'embed over 6000 characters in total',
  );
export type Embed = z.infer<typeof Embed>;

const Button = z.object({
  type: z.literal(2),
  style: z.number().int().min(1).max(4),
  label: z.string().min(1).max(80),
  custom_id: z.string().min(1).max(100),
  disabled: z.boolean().optional(),
});
const Row = z.object({ type: z.literal(1), components: z.array(Button).min(1).max(5) });
export type Row = z.infer<typeof Row>;

export const MessageBody = z.object({
  content: z.string().max(2000).nullish(),
  embeds: z.array(Embed).max(10).optional(),
  components: z
    .array(Row)
    .max(5)
    .optional()
    .refine((rows) => {
      const ids = (rows ?? []).flatMap((r) => r.components.map((b) => b.custom_id));
      return new Set(ids).size === ids.length;
    }, 'custom_id must be unique'),
  attachments: z.array(z.object({ id: z.union([z.string(), z.number()]) })).optional(),
  /** Only EPHEMERAL (64) matters here: it is honoured on interaction replies and follow-ups. */
  flags: z.number().int().optional(),
});
export type MessageBody = z.infer<typeof MessageBody>;
export const EPHEMERAL = 64;

const Modal = z.object({
  custom_id: z.string().min(1).max(100),
  title: z.string().min(1).max(45),
  components: z
    .array(
      z.object({
        type: z.literal(18),
        label: z.string().min(1).max(45),
        component: z.object({
          type: z.literal(4),
          custom_id: z.string().min(1).max(100),
          style: z.union([z.literal(1), z.literal(2)]),
          value: z.string().max(4000).optional(),
          placeholder: z.string().max(100).optional(),
        }),
      }),
    )
    .min(1)
    .max(5),
});
export type PeerModal = z.infer<typeof Modal>;

/** Interaction callbacks: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 9 modal. */
export const Callback = z.discriminatedUnion('type', [
  z.object({ type: z.literal(4), data: MessageBody }),
  z.object({ type: z.literal(5), data: z.object({ flags: z.number().int().optional() }).optional() }),
  z.object({ type: z.literal(6) }),
  z.object({ type: z.literal(7), data: MessageBody }),
  z.object({ type: z.literal(9), data: Modal }),
]);

export const Commands = z.array(
  z.object({
    name: z.string().regex(/^[a-z0-9_-]{1,32}$/),
    description: z.string().min(1).max(100),
    options: z.array(z.object({ name: z.string(), type: z.number() })).optional(),
  }),
);
export type Commands = z.infer<typeof Commands>;

export const GatewayIn = z.discriminatedUnion('op', [
  z.object({ op: z.literal(1) }),
  z.object({ op: z.literal(2), d: z.object({ token: z.string(), intents: z.number().int() }) }),
  z.object({ op: z.literal(6) }),
]);

export type Reply = { status: number; json?: unknown; headers?: Record<string, string> };

/** Discord's error envelope. */
export const fail = (status: number, code: number, message: string, errors?: unknown): Reply => ({
  status,
  json: { code, message, ...(errors ? { errors } : {}) },
});

export const isReply = (v: unknown): v is Reply => typeof v === 'object' && v !== null && 'status' in v;

export const parseMessage = (json: unknown): MessageBody | Reply => {
  const parsed = MessageBody.safeParse(json);
  return parsed.success ? parsed.data : fail(400, 50035, 'Invalid Form Body', z.treeifyError(parsed.error));
};
