// What the Slack peer remembers: the messages and files the bot posted (ephemeral ones too), modals it
// opened, every Web API call and response_url post with its outcome, and the faults a test asked for
// (rate limits, error answers, channels the bot isn't in, response_urls that ran out).
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
  /** Posted through a response_url rather than the Web API. */
  via?: 'response_url';
  /** Ephemeral: only this user sees it, and nobody can edit it. */
  visibleTo?: string;
};
export type StoredFile = { filename: string; length: number; title?: string; data?: Buffer };

export type State = {
  messages: Stored[];
  files: Map<string, StoredFile>;
  triggers: Map<string, { at: number; used: boolean }>;
  views: { view: PeerModal }[];
  calls: { method: string; status: number; at: number; error?: string; channel?: string }[];
  /**
   * Answers the next calls to a method get instead of the real one: 429 with Retry-After, a 5xx, or
   * Slack's `ok: false` with `error`.
   */
  faults: Map<string, { status: number; retryAfter?: number; error?: string; bare?: boolean }[]>;
  /** Channels the bot is not a member of: posting there answers not_in_channel. */
  notIn: Set<string>;
  sockets: Set<WebSocket>;
  acks: Map<string, (payload: unknown) => void>;
  receiver: { url: string; signingSecret: string } | undefined;
  /** Files users shared (served at their url_private), and every download of one with its auth. */
  shared: Map<string, { name: string; data: Buffer }>;
  downloads: { id: string; authorized: boolean }[];
  /** Issued response_urls (response-url.ts), every post to one, and whether they answer expired_url. */
  responseUrls: Map<
    string,
    { channel: string; userId: string; messageTs?: string; issuedAt: number; uses: number }
  >;
  responses: { id: string; status: number; error?: string; responseType?: 'ephemeral' | 'in_channel' }[];
  responseUrlsExpired: boolean;
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
    responseUrls: new Map(),
    responses: [],
    responseUrlsExpired: false,
    seq: 0,
  };
}
