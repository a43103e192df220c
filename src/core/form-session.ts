// Forms on platforms without modals (Telegram, the console): the core asks one field at a time and
// collects the answers; the session lives in the database so a restart mid-form loses nothing.

import { z } from 'zod';
import type { Models } from '../storage/models.ts';
import type { ChatAddress, Form, OutgoingMessage } from './types.ts';

const FormSchema = z.object({
  title: z.string(),
  submit: z.string(),
  fields: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      value: z.string(),
      placeholder: z.string().optional(),
      percent: z.boolean().optional(),
    }),
  ),
});
const ValuesSchema = z.record(z.string(), z.string());

const TTL_MS = 15 * 60_000;
const KEEP = new Set(['-', 'keep', 'same', '']);
const CANCEL = /^(cancel|stop|abort|\/cancel)$/i;

export type FormAnswer =
  | { kind: 'ask'; message: OutgoingMessage }
  | { kind: 'cancelled'; message: OutgoingMessage }
  | { kind: 'done'; submit: string; values: Record<string, string> };

export type FormSessions = {
  start(address: ChatAddress, form: Form): Promise<OutgoingMessage>;
  /** Undefined when no form is being filled in this chat by this person. */
  answer(address: ChatAddress, text: string): Promise<FormAnswer | undefined>;
  /** Drops a pending form (the person moved on to a command or a button). */
  abandon(address: ChatAddress): Promise<void>;
};

function question(form: Form, index: number): OutgoingMessage {
  const field = form.fields[index];
  if (!field) return { text: form.title };
  const now = field.value ? `\nNow: ${field.value}` : '\nNow: (empty)';
  return {
    text: `${form.title} (${index + 1}/${form.fields.length}): ${field.label}${now}\nReply with the new value, "-" to keep it, or "cancel".`,
    expectsReply: true,
  };
}

function isPercent(text: string): boolean {
  const n = Number(text.replace('%', '').trim());
  return text.trim() !== '' && Number.isFinite(n) && n > 0 && n < 100;
}

export function createFormSessions(deps: { models: Models }): FormSessions {
  const { FormSession } = deps.models;
  const keyOf = (a: ChatAddress) =>
    [a.platform, a.conversationId, a.threadId, a.userId].filter(Boolean).join(':');
  return {
    async start(address, form) {
      await FormSession.findOneAndUpdate(
        { key: keyOf(address) },
        {
          $set: {
            platform: address.platform,
            userId: address.userId,
            form,
            index: 0,
            values: {},
            expiresAt: new Date(Date.now() + TTL_MS),
          },
        },
        { upsert: true },
      );
      return question(form, 0);
    },
    async abandon(address) {
      await FormSession.deleteOne({ key: keyOf(address) });
    },
    async answer(address, text) {
      const session = await FormSession.findOne({
        key: keyOf(address),
        expiresAt: { $gt: new Date() },
      }).lean();
      if (!session) return undefined;
      const form = FormSchema.parse(session.form);
      if (CANCEL.test(text.trim())) {
        await FormSession.deleteOne({ _id: session._id });
        return { kind: 'cancelled', message: { text: 'Cancelled; nothing was changed.' } };
      }
      const values = ValuesSchema.parse(session.values);
      const field = form.fields[session.index];
      const given = text.trim();
      if (field?.percent && !KEEP.has(given.toLowerCase()) && !isPercent(given)) {
        return {
          kind: 'ask',
          message: {
            text: `"${given}" isn't a percentage between 0 and 100.\n${question(form, session.index).text}`,
          },
        };
      }
      if (field) values[field.key] = KEEP.has(text.trim().toLowerCase()) ? field.value : text.trim();
      const index = session.index + 1;
      if (index >= form.fields.length) {
        await FormSession.deleteOne({ _id: session._id });
        return { kind: 'done', submit: form.submit, values };
      }
      await FormSession.updateOne(
        { _id: session._id },
        { $set: { index, values, expiresAt: new Date(Date.now() + TTL_MS) } },
      );
      return { kind: 'ask', message: question(form, index) };
    },
  };
}
