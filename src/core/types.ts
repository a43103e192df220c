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

/** What the platform can show. Without forms (Telegram, console) the core asks field by field. */
export type Capabilities = { forms: boolean };

type EventBase = {
  address: ChatAddress;
  sender: Sender;
  receivedAt: Date;
  capabilities?: Capabilities;
  /**
   * Where a private answer reaches the sender without an interaction to answer: their direct chat with
   * the bot. A conversation id equal to the user id names that chat by its user (Telegram's private
   * chat has that id; the Discord and Slack sinks open the DM). Absent where the platform has none.
   */
  direct?: ChatAddress;
  /**
   * The platform's id for this delivery (Telegram's update_id, Slack's event_id or trigger_id,
   * Discord's message or interaction id), prefixed with the platform: a retried or replayed delivery
   * carries the same id and is handled once.
   */
  deliveryId?: string;
};

/**
 * A file sent with a message. Lazy: `fetch` downloads it only when the core wants it, with whatever
 * credentials the adapter holds (Slack's bot token), so the core can refuse a file by name or `size`
 * (the platform's figure, in bytes) without downloading it, and never sees a token.
 */
export type InboundAttachment = { filename: string; size: number; fetch(): Promise<Uint8Array> };

export type IncomingEvent =
  | (EventBase & { kind: 'message'; text: string; attachments?: InboundAttachment[] })
  | (EventBase & { kind: 'command'; name: string; args: string })
  | (EventBase & { kind: 'action'; payload: string })
  /** A submitted form: `submit` is the form's encoded action, `values` maps field keys to text. */
  | (EventBase & { kind: 'form'; submit: string; values: Record<string, string> });

export type ButtonStyle = 'primary' | 'secondary' | 'danger';

/** A button carries an encoded action (see actions.ts) that fits Telegram's 64-byte limit. */
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

/** At most 5 fields (Discord's modal limit). */
export type FormField = {
  key: string;
  label: string;
  value: string;
  placeholder?: string;
  multiline?: boolean;
  /** A percentage 0..100, checked as each answer comes in when asked field by field. */
  percent?: boolean;
};

/**
 * A form to open (Discord and Slack modals). `submit` is an encoded action that fits 64 bytes. `preface`
 * is what to read before the fields (what each choice means): said after the message's own text, beside
 * the modal or before the first question when the platform asks field by field.
 */
export type Form = { title: string; submit: string; fields: FormField[]; preface?: string };

/** A form message's text with its form's preface, as said before the form opens. */
export function formLead(message: { text: string; form?: Form }): string {
  return [message.text, message.form?.preface].filter(Boolean).join('\n');
}

export type ProgressState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** How far each state is: a message never goes back to a lower rank (a late "running" after "done"). */
export const PROGRESS_RANK: Record<ProgressState, number> = {
  queued: 0,
  running: 1,
  succeeded: 2,
  failed: 2,
  cancelled: 2,
};

/** True for the states a long task ends in. */
export const isFinalState = (state: ProgressState): boolean => PROGRESS_RANK[state] === 2;

/**
 * What handlers return. A message with `progress` belongs to one long task (a backtest): platforms
 * edit one message in place per key, and the console waits for every key to reach a final state.
 */
export type OutgoingMessage = {
  text: string;
  card?: Card;
  buttons?: Button[];
  attachments?: Attachment[];
  /** Source code; platforms send it as a file named `filename` (chat messages mangle long code). */
  code?: { language: string; content: string; filename: string };
  /**
   * `paced`: edits come at most every 2 s, a state that comes sooner waits and the newest waiting one
   * is sent (src/core/progress-pace.ts); for tasks that report often (a backtest's phases).
   */
  progress?: { key: string; state: ProgressState; paced?: boolean };
  /** Open this form in response to the event (only sent to platforms whose capabilities say forms). */
  form?: Form;
  /**
   * For the sender's eyes only (a link code): answered privately (an ephemeral reply, or the sender's
   * direct chat), never posted where others read.
   */
  private?: boolean;
  /** A question the person answers in text (a form asked field by field): in groups, ask for a reply. */
  expectsReply?: boolean;
  /**
   * A yes/no question asked with buttons ("Delete X?"): the button actions a typed yes or no presses, when
   * it is the person's next message (the conversation keeps it; platforms ignore it).
   */
  typedAnswers?: { yes: string; no: string };
};
