// The platform-neutral contract between adapters and the conversation core. Adapters turn platform
// events into `IncomingEvent`s and render `OutgoingMessage`s; nothing platform-specific crosses this line.

/** Where a reply goes: enough for the notifier to find the adapter and the chat. */
export type ChatAddress = {
  platform: string;
  conversationId: string;
  userId: string;
  threadId?: string | null;
};

export type Sender = { platformUserId: string; displayName: string; isBot?: boolean };

type EventBase = { address: ChatAddress; sender: Sender; receivedAt: Date };

export type IncomingEvent =
  | (EventBase & { kind: 'message'; text: string })
  | (EventBase & { kind: 'command'; name: string; args: string })
  | (EventBase & { kind: 'action'; payload: string });

export type ButtonStyle = 'primary' | 'secondary' | 'danger';

/** A button carries an encoded action (see button-codec.ts) that fits Telegram's 64-byte limit. */
export type Button = { label: string; action: string; style?: ButtonStyle; disabled?: boolean };

export type CardField = { name: string; value: string; inline?: boolean };

export type CardImage = { filename: string; contentType: 'image/png'; data: Uint8Array; path?: string };

export type Card = {
  title: string;
  description?: string;
  fields: CardField[];
  image?: CardImage;
  footer?: string;
};

export type Attachment = { filename: string; contentType: string; data: Uint8Array };

export type ProgressState = 'queued' | 'running' | 'succeeded' | 'failed';

/**
 * What handlers return. A message with `progress` belongs to one long task (a backtest): platforms
 * edit one message in place per key, and the console waits for every key to reach a final state.
 */
export type OutgoingMessage = {
  text: string;
  card?: Card;
  buttons?: Button[];
  attachments?: Attachment[];
  code?: { language: string; content: string };
  progress?: { key: string; state: ProgressState };
};
