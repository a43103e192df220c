// What a Discord user sees of the bot's messages, in the adapter contract's neutral terms: channel
// messages, interaction replies and follow-ups (ephemeral ones too: the user they were for sees them),
// with edits applied; a "thinking…" reply only once it has content, and nothing deleted.
import type { PeerMessage } from '../../../contract/adapter-contract.ts';
import type { Embed } from './schemas.ts';
import type { Attachment, StoredMessage } from './state.ts';

const embedText = (e: Embed) =>
  [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text]
    .filter(Boolean)
    .join('\n');

function viewOf(m: StoredMessage): PeerMessage {
  const shown = new Set(
    m.embeds.flatMap((e) => (e.image?.url.startsWith('attachment://') ? [e.image.url.slice(13)] : [])),
  );
  const image = (a: Attachment) => shown.has(a.filename) || /\.(png|jpe?g|gif|webp)$/i.test(a.filename);
  const file = (a: Attachment) => ({ filename: a.filename, bytes: a.size });
  return {
    id: m.id,
    chatId: m.channelId,
    text: [m.content, ...m.embeds.map(embedText)].filter(Boolean).join('\n'),
    buttons: m.components.flatMap((r) =>
      r.components.map((b) => ({ label: b.label, payload: b.custom_id, disabled: b.disabled })),
    ),
    edits: m.edits,
    images: m.attachments.filter(image).map(file),
    files: m.attachments.filter((a) => !image(a)).map(file),
  };
}

export const visible = (messages: StoredMessage[]) =>
  messages.filter((m) => m.visible && !m.deleted).map(viewOf);
