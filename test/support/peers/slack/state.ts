// What the Slack peer remembers: the messages and files the bot posted, modals it opened, every Web API
// call with its outcome, and the faults a test asked for (rate limits, channels the bot isn't in).
import type { WebSocket } from 'ws';
import type { Block, PeerModal } from './blocks.ts';

export const TEAM = 'T0PEER';
export const BOT_USER = 'U0GENTRADE';
export const BOT_ID = 'B0GENTRADE';

export type Stored = {
  channel: string;
  ts: string;
  text: string;
  blocks: Block[];
  fileIds: string[];
  edits: number;
  /** Deleted in Slack: gone from the conversation, and chat.update answers message_not_found. */
  deleted: boolean;
};
export type StoredFile = { filename: string; length: number; title?: string; data?: Buffer };

export type State = {
  messages: Stored[];
  files: Map<string, StoredFile>;
  triggers: Map<string, { at: number; used: boolean }>;
  views: { view: PeerModal }[];
  calls: { method: string; status: number; at: number; error?: string; channel?: string }[];
  /** Answers the next calls to a method get instead of the real one: 429 with Retry-After, or a 5xx. */
  faults: Map<string, { status: number; retryAfter?: number }[]>;
  /** Channels the bot is not a member of: posting there answers not_in_channel. */
  notIn: Set<string>;
  sockets: Set<WebSocket>;
  acks: Map<string, (payload: unknown) => void>;
  receiver: { url: string; signingSecret: string } | undefined;
  /** Files users shared (served at their url_private), and every download of one with its auth. */
  shared: Map<string, { name: string; data: Buffer }>;
  downloads: { id: string; authorized: boolean }[];
  seq: number;
};

export function newState(): State {
  return {
    messages: [],
    files: new Map(),
    triggers: new Map(),
    views: [],
    calls: [],
    faults: new Map(),
    notIn: new Set(),
    sockets: new Set(),
    acks: new Map(),
    receiver: undefined,
    shared: new Map(),
    downloads: [],
    seq: 0,
  };
}
