// Pure renderers from neutral messages to Discord payloads. Discord rejects a whole message when one
// limit is exceeded (2,000 characters of content, embed and component limits), so every string is cut
// here, with "…" where something was cut, and over-long text becomes several messages.
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type AttachmentPayload,
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  TextInputStyle,
} from 'discord.js';
import type { CommandSpec } from '../../src/core/commands.ts';
import { clip, splitText } from '../../src/core/text.ts';
import type { Button, Card, Form, OutgoingMessage } from '../../src/core/types.ts';

export const CONTENT_MAX = 2000;
const EMBED = {
  title: 256,
  description: 4096,
  fields: 25,
  name: 256,
  value: 1024,
  footer: 2048,
  total: 6000,
};
const BUTTONS_PER_ROW = 5;
const ROWS = 5;
const FILES = 10;

export type DiscordMessage = {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  files: AttachmentPayload[];
  /** Never ping anyone: the text may quote what users typed. */
  allowedMentions: { parse: [] };
};

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_') || 'file';

export function renderEmbed(card: Card, imageName?: string): APIEmbed {
  let budget = EMBED.total;
  const take = (text: string, max: number) => {
    const out = clip(text, Math.min(max, budget));
    budget -= out.length;
    return out;
  };
  const embed: APIEmbed = { title: take(card.title, EMBED.title) };
  const fields: APIEmbedField[] = [];
  for (const field of card.fields.slice(0, EMBED.fields)) {
    // Discord refuses empty names and values.
    const name = clip(field.name || '-', EMBED.name);
    const room = Math.min(EMBED.value, budget - name.length);
    if (room < 2) break;
    const value = clip(field.value || '-', room);
    budget -= name.length + value.length;
    fields.push({ name, value, inline: field.inline ?? false });
  }
  if (fields.length > 0) embed.fields = fields;
  if (card.footer && budget > 1) embed.footer = { text: take(card.footer, EMBED.footer) };
  if (card.description && budget > 1) embed.description = take(card.description, EMBED.description);
  if (imageName) embed.image = { url: `attachment://${imageName}` };
  return embed;
}

const STYLE: Record<NonNullable<Button['style']>, APIButtonComponentWithCustomId['style']> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  danger: ButtonStyle.Danger,
};

export function renderButtons(
  buttons: readonly Button[],
): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  // custom_id must be unique within a message and at most 100 characters.
  const seen = new Set<string>();
  const usable = buttons.filter((b) => {
    if (b.action.length > 100 || seen.has(b.action)) return false;
    seen.add(b.action);
    return true;
  });
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let i = 0; i < Math.min(usable.length, BUTTONS_PER_ROW * ROWS); i += BUTTONS_PER_ROW) {
    rows.push({
      type: ComponentType.ActionRow,
      components: usable.slice(i, i + BUTTONS_PER_ROW).map((b) => ({
        type: ComponentType.Button,
        custom_id: b.action,
        label: clip(b.label || '…', 80),
        style: STYLE[b.style ?? 'secondary'],
        disabled: b.disabled ?? false,
      })),
    });
  }
  return rows;
}

function extras(msg: OutgoingMessage): Omit<DiscordMessage, 'content' | 'allowedMentions'> {
  const files: AttachmentPayload[] = [];
  const image = msg.card?.image;
  const imageName = image ? safeName(image.filename) : undefined;
  if (image && imageName) files.push({ attachment: Buffer.from(image.data), name: imageName });
  if (msg.code)
    files.push({ attachment: Buffer.from(msg.code.content, 'utf8'), name: safeName(msg.code.filename) });
  for (const a of msg.attachments ?? [])
    files.push({ attachment: Buffer.from(a.data), name: safeName(a.filename) });
  return {
    embeds: msg.card ? [renderEmbed(msg.card, imageName)] : [],
    components: renderButtons(msg.buttons ?? []),
    files: files.slice(0, FILES),
  };
}

/** A new message: text split into as many messages as it needs; the card, buttons and files go on the last. */
export function renderMessage(msg: OutgoingMessage): DiscordMessage[] {
  const rest = extras(msg);
  const bare = rest.embeds.length === 0 && rest.files.length === 0 && rest.components.length === 0;
  // Kept separators: the pieces read back exactly as the text was written.
  const chunks = splitText(msg.text || (bare ? '…' : ''), CONTENT_MAX, { keepSeparators: true });
  const empty = { embeds: [], components: [], files: [] };
  return chunks.map((content, i) => ({
    content,
    ...(i === chunks.length - 1 ? rest : empty),
    allowedMentions: { parse: [] },
  }));
}

/** An edit in place is one message: the text is cut to fit, and the files replace the old ones. */
export function renderEdit(msg: OutgoingMessage): DiscordMessage & { attachments: [] } {
  return {
    content: clip(msg.text, CONTENT_MAX),
    ...extras(msg),
    allowedMentions: { parse: [] },
    attachments: [],
  };
}

/** A form as a modal: at most 5 labelled text inputs whose custom_id is the field key. */
export function renderModal(form: Form): APIModalInteractionResponseCallbackData {
  return {
    custom_id: form.submit,
    title: clip(form.title, 45),
    components: form.fields.slice(0, 5).map((f) => ({
      type: ComponentType.Label,
      label: clip(f.label, 45),
      component: {
        type: ComponentType.TextInput,
        custom_id: f.key,
        style: f.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: false,
        ...(f.value ? { value: clip(f.value, 4000) } : {}),
        ...(f.placeholder ? { placeholder: clip(f.placeholder, 100) } : {}),
      },
    })),
  };
}

/** The core's command list as global slash commands, each taking its arguments as one text option. */
export function renderCommands(
  commands: readonly CommandSpec[],
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((c) => ({
    type: ApplicationCommandType.ChatInput,
    name: c.name,
    description: clip(c.description, 100),
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    options: c.args
      ? [
          {
            type: ApplicationCommandOptionType.String,
            name: 'args',
            description: clip(c.args, 100),
            required: c.args.startsWith('<'),
          },
        ]
      : [],
  }));
}
