// Mongoose models. Kept to features both MongoDB and FerretDB (SQLite backend) support: unique
// indexes, plain queries and findOneAndUpdate without projection; no transactions, TTL or change streams.
import mongoose, { type Connection, type InferSchemaType, Schema } from 'mongoose';
import { cleanDisplayName, cleanUserText } from './user-text.ts';

const userSchema = new Schema(
  {
    displayName: { type: String, required: true, set: cleanDisplayName },
    // Set once a chat identity is linked: the user is then that Clerk account, shared by every identity
    // linked to it. Unique where set (a partial index would need FerretDB features; null is checked in code).
    clerkUserId: { type: String, default: null, index: true },
    // Kept in step by Clerk's webhooks; shown by /whoami.
    email: { type: String, default: null },
  },
  { timestamps: true },
);

const chatAddressSchema = new Schema(
  {
    platform: { type: String, required: true },
    conversationId: { type: String, required: true },
    userId: { type: String, required: true },
    threadId: { type: String, default: null },
  },
  { _id: false },
);

const identitySchema = new Schema(
  {
    platform: { type: String, required: true },
    platformUserId: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    // How the identity is shown (/whoami, link notices), and where a private message reaches it (set
    // when it links; null on identities that never did, or from before these were kept).
    displayName: { type: String, default: null, set: cleanDisplayName },
    direct: { type: chatAddressSchema, default: null },
  },
  { timestamps: true },
);
identitySchema.index({ platform: 1, platformUserId: 1 }, { unique: true });

const strategySchema = new Schema(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    className: { type: String, required: true },
    description: { type: String, default: '', set: cleanUserText },
    // 'spec': code rendered from `spec`. 'custom': imported Freqtrade code, no spec; its timeframe and
    // pairs are stored beside it. Documents from before custom code have no kind and are 'spec'.
    kind: { type: String, enum: ['spec', 'custom'], default: 'spec' },
    spec: { type: Schema.Types.Mixed, default: null },
    timeframe: { type: String, default: null },
    pairs: { type: [String], default: undefined },
    code: { type: String, required: true },
    version: { type: Number, required: true, default: 1 },
    // The defaults filled in for what the first version's words left out, said back on its card and on
    // /show; an edit clears them (it settles what it changes, and the Signals field shows every setting).
    assumptions: { type: [String], default: undefined },
    // When the user last created, showed or backtested it: what "it" means in conversation.
    lastUsedAt: { type: Date, default: () => new Date() },
  },
  { timestamps: true, minimize: false },
);
strategySchema.index({ ownerId: 1, name: 1 }, { unique: true });

// What a backtest runs, copied from the strategy when it is queued: an edit made while it waits must
// not change what runs under the version it was queued for. A few KB of code, kept in the backtest's
// payload; absent on backtests queued before snapshots existed.
const backtestSnapshotSchema = new Schema(
  {
    kind: { type: String, enum: ['spec', 'custom'], required: true },
    className: { type: String, required: true },
    code: { type: String, required: true },
    spec: { type: Schema.Types.Mixed, default: null },
  },
  { _id: false, minimize: false },
);

// A backtest's record: only what queueing, leases, status, listing and ownership read. Its heavy fields
// (the code it runs, Freqtrade's figures) live in its payload (below), read by _id where they are
// needed: the embedded FerretDB decodes every record of a collection it scans, so small records keep
// the queue's scans cheap as the history grows. Records written before the split carry those fields
// inline; they are read through src/services/backtest-payloads.ts, which falls back to them.
const backtestSchema = new Schema(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    strategyId: { type: Schema.Types.ObjectId, required: true, index: true },
    strategyName: { type: String, required: true },
    strategyVersion: { type: Number, required: true },
    timerange: { type: String, required: true },
    pairs: { type: [String], required: true },
    timeframe: { type: String, required: true },
    // A robustness report runs as a backtest (same queue, leases and quotas) and is kept apart from
    // plain backtests wherever "the latest backtest" is asked for; absent on older backtests.
    kind: { type: String, enum: ['backtest', 'robustness', 'optimise'], default: 'backtest' },
    /** An optimisation's settings from its form (src/backtest/optimise.ts), set when it is queued (a few fields). */
    optimise: { type: Schema.Types.Mixed, default: null },
    status: {
      type: String,
      enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'],
      required: true,
      default: 'queued',
    },
    resultPath: { type: String, default: null },
    /** Why a backtest made no trades (which entry condition never fired), for the card and explanations. */
    diagnosis: { type: String, default: null },
    error: {
      type: new Schema({ code: String, message: String }, { _id: false }),
      default: null,
    },
    queuedAt: { type: Date, required: true },
    /** Answered from the result cache: when the run these figures come from finished (null: its own run). */
    cachedFrom: { type: Date, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    /** The queue position its progress message last showed, so a change is posted once (any process). */
    shownPosition: { type: Number, default: null },
    replyTo: { type: chatAddressSchema, required: true },
    correlationId: { type: String, required: true },
  },
  { timestamps: true, minimize: false },
);

// A backtest's heavy fields, under the backtest's own _id. Written before the record says they exist
// (the snapshot before the run is queued, the figures before the status is succeeded), with an
// upsert so a retried write overwrites; a payload whose record never came (a crash between the two)
// is never read. No transactions on FerretDB, so this order is what keeps a reader from missing it.
const backtestPayloadSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    snapshot: { type: backtestSnapshotSchema, default: null },
    /** Freqtrade's summary (src/backtest/summary.ts) of a succeeded run. */
    summary: { type: Schema.Types.Mixed, default: null },
    /** The equity curve (freqtrade/chart EquitySeries) as a JSON string (storedEquity), so any process can draw /compare. */
    equity: { type: Schema.Types.Mixed, default: null },
    /** The report (src/backtest/robustness/report.ts) of a succeeded robustness run. */
    robustness: { type: Schema.Types.Mixed, default: null },
    /** What a succeeded optimisation found, with its training and test figures (Optimisation). */
    optimisation: { type: Schema.Types.Mixed, default: null },
  },
  { minimize: false },
);

// Messages a job could not deliver yet (platform down, or not hosted by this process). Any process
// that hosts the platform's adapter drains them; `lockedUntil` keeps two processes from sending one twice.
const outboxSchema = new Schema(
  {
    platform: { type: String, required: true },
    address: { type: chatAddressSchema, required: true },
    message: { type: Schema.Types.Mixed, required: true },
    progressKey: { type: String, default: null },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    // How far a message sent in parts got (src/outbox-retry.ts): parts in the chat, failed tries at
    // the next one and whether it may be left out, and the first part's id for progress edits.
    sentParts: { type: Number, default: 0 },
    partTries: { type: Number, default: 0 },
    partOptional: { type: Boolean, default: false },
    firstMessageId: { type: String, default: null },
  },
  { timestamps: true, minimize: false },
);
outboxSchema.index({ platform: 1, nextAttemptAt: 1 });

// Which platform message shows a progress key (a backtest), so later states edit it in place.
const deliverySchema = new Schema(
  {
    progressKey: { type: String, required: true },
    platform: { type: String, required: true },
    messageId: { type: String, required: true },
    // The state it shows, so a late "queued" never overwrites "running" or "done".
    state: { type: String, default: null },
    // The chat user it was shown to, so deleting an account finds it (null on older records).
    userId: { type: String, default: null },
    // Edits made since it was posted, and when it was last written (posted or edited): edits keep
    // their pace (src/core/progress-pace.ts) whichever process sends them.
    edits: { type: Number, default: 0 },
    writtenAt: { type: Date, default: null },
  },
  { timestamps: true },
);
deliverySchema.index({ progressKey: 1, platform: 1 }, { unique: true });

// Every saved version of a strategy, so a change never loses the one before it.
const strategyVersionSchema = new Schema(
  {
    strategyId: { type: Schema.Types.ObjectId, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    kind: { type: String, enum: ['spec', 'custom'], default: 'spec' },
    spec: { type: Schema.Types.Mixed, default: null },
    className: { type: String, default: null },
    timeframe: { type: String, default: null },
    pairs: { type: [String], default: undefined },
    code: { type: String, required: true },
  },
  { timestamps: true, minimize: false },
);
strategyVersionSchema.index({ strategyId: 1, version: 1 }, { unique: true });

// A form being filled in field by field on a platform without forms (Telegram, console).
const formSessionSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    // Whose form it is, so deleting an account finds it (the key holds them too, joined).
    platform: { type: String, default: null },
    userId: { type: String, default: null },
    form: { type: Schema.Types.Mixed, required: true },
    index: { type: Number, required: true, default: 0 },
    values: { type: Schema.Types.Mixed, required: true, default: {} },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, minimize: false },
);

// Pasted code that passed validation and waits for the trader to confirm it replaces a strategy of
// theirs (the button can't carry the code). Expired ones are deleted when the next one is stored.
const pendingImportSchema = new Schema(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true },
    strategyId: { type: Schema.Types.ObjectId, required: true },
    basedOn: { type: Number, required: true },
    className: { type: String, required: true },
    code: { type: String, required: true },
    timeframe: { type: String, required: true },
    pairs: { type: [String], required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, minimize: false },
);

// A one-time code from /link: only its keyed HMAC is stored. It names the chat identity it links and where
// to tell the trader how it went; `usedAt` makes it single use. Expired codes are deleted when the
// next code is issued (no TTL indexes on FerretDB).
const linkCodeSchema = new Schema(
  {
    codeHash: { type: String, required: true, unique: true },
    platform: { type: String, required: true },
    platformUserId: { type: String, required: true },
    displayName: { type: String, required: true, set: cleanDisplayName },
    replyTo: { type: chatAddressSchema, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

// Fixed-window counters for rate limits and quotas: one document per subject and window, changed by
// compare-and-set on `count` (src/services/rate-limit.ts). Old windows are deleted now and then (no TTL indexes on FerretDB).
const rateCounterSchema = new Schema({
  key: { type: String, required: true, unique: true },
  count: { type: Number, required: true, default: 0 },
  expiresAt: { type: Date, required: true },
});

// Webhook deliveries already acted on (svix-id), so a replay changes nothing twice.
const webhookEventSchema = new Schema(
  {
    eventId: { type: String, required: true, unique: true },
    type: { type: String, required: true },
  },
  { timestamps: true },
);

// Platform deliveries already handled (services/inbound-deliveries.ts), so a retried or replayed one is
// handled once. Expired ids are deleted in code (no TTL indexes on FerretDB).
// A delivery is 'claimed' while handled (claimedAt says since when, token says by which copy), then
// 'done' or 'failed'. Marks stored before claims existed have no state and count as done.
const inboundDeliverySchema = new Schema({
  deliveryId: { type: String, required: true, unique: true },
  expiresAt: { type: Date, required: true },
  state: { type: String, enum: ['claimed', 'done', 'failed'] },
  claimedAt: { type: Date },
  token: { type: String },
});

// Backtests queued or running at once: a run holds one numbered slot of its owner while it waits or
// runs. The unique (userKey, slot) index makes taking one a single insert, so two requests at the same
// moment can't both take the last (a count then an insert could).
const backtestSlotSchema = new Schema({
  userKey: { type: String, required: true },
  slot: { type: Number, required: true },
  backtestId: { type: String, required: true, unique: true },
  takenAt: { type: Date, required: true },
});
backtestSlotSchema.index({ userKey: 1, slot: 1 }, { unique: true });

// The result cache: a key for everything that decides a run's figures (freqtrade/run-key.ts) and the
// finished run that has them. The figures stay on that backtest, so nothing of its owner is copied
// here; once the backtest is gone (its account deleted) the key answers nothing.
const resultCacheSchema = new Schema({
  key: { type: String, required: true, unique: true },
  backtestId: { type: Schema.Types.ObjectId, required: true, index: true },
  storedAt: { type: Date, required: true },
});

// How each backtest ended, one document per backtest under its id: the end (succeeded, failed,
// cancelled) is settled by the insert the unique _id lets only one writer make. A conditional update
// can't settle it on FerretDB, whose findAndModify reads and then writes (two enders could both match).
const backtestEndSchema = new Schema({
  _id: { type: Schema.Types.ObjectId, required: true },
  status: { type: String, enum: ['succeeded', 'failed', 'cancelled'], required: true },
  endedAt: { type: Date, required: true },
});

// Clerk users deleted (user.deleted): Svix may deliver a user.created or user.updated for one after
// its deletion, and a Clerk id is never reused, so the mark stays and such late events are ignored.
const clerkTombstoneSchema = new Schema(
  {
    clerkUserId: { type: String, required: true, unique: true },
    deletedAt: { type: Date, required: true },
  },
  { timestamps: true },
);

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };
export type StrategyDoc = InferSchemaType<typeof strategySchema> & { _id: mongoose.Types.ObjectId };
/** A backtest's record: the small fields (queue, status, listing, ownership). */
export type BacktestDoc = InferSchemaType<typeof backtestSchema> & { _id: mongoose.Types.ObjectId };
/** A backtest's heavy fields (its payload document). */
export type BacktestPayloadFields = Omit<InferSchemaType<typeof backtestPayloadSchema>, '_id'>;
/** A backtest's record with its payload read (src/services/backtest-payloads.ts). */
export type FullBacktestDoc = BacktestDoc & Required<BacktestPayloadFields>;

/** Registers the models on one connection; the composition root owns the connection. */
export function createModels(conn: Connection) {
  return {
    User: conn.model('User', userSchema),
    PlatformIdentity: conn.model('PlatformIdentity', identitySchema),
    Strategy: conn.model('Strategy', strategySchema),
    Backtest: conn.model('Backtest', backtestSchema),
    BacktestPayload: conn.model('BacktestPayload', backtestPayloadSchema, 'backtest_payloads'),
    Outbox: conn.model('Outbox', outboxSchema, 'outbox'),
    Delivery: conn.model('Delivery', deliverySchema),
    StrategyVersion: conn.model('StrategyVersion', strategyVersionSchema),
    FormSession: conn.model('FormSession', formSessionSchema),
    PendingImport: conn.model('PendingImport', pendingImportSchema),
    LinkCode: conn.model('LinkCode', linkCodeSchema),
    RateCounter: conn.model('RateCounter', rateCounterSchema),
    WebhookEvent: conn.model('WebhookEvent', webhookEventSchema),
    InboundDelivery: conn.model('InboundDelivery', inboundDeliverySchema, 'inbound_deliveries'),
    ClerkTombstone: conn.model('ClerkTombstone', clerkTombstoneSchema, 'clerk_tombstones'),
    BacktestSlot: conn.model('BacktestSlot', backtestSlotSchema, 'backtest_slots'),
    ResultCache: conn.model('ResultCache', resultCacheSchema, 'result_cache'),
    BacktestEnd: conn.model('BacktestEnd', backtestEndSchema, 'backtest_ends'),
  };
}
export type Models = ReturnType<typeof createModels>;

/** Builds the unique indexes before serving, so a duplicate is refused from the first request. */
export async function syncIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((m) => m.init()));
}
