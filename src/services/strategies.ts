// Strategies belong to one owner; every query is scoped by ownerId so a user can only ever see and
// touch their own. Spec strategies' code is always rendered from the spec here, never taken from the
// model, and passes the engine's static and load checks before it is saved. Custom strategies are
// Freqtrade code a trader imported, already validated by the import flow.
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { Models, StrategyDoc } from '../storage/models.ts';
import type { StrategyRenderer } from '../strategy/renderer.ts';
import {
  normalizeStrategyName,
  type StrategySpec,
  strategyClassName,
  validateSpec,
} from '../strategy/spec.ts';
import type { StrategyValidator } from '../strategy/verdict.ts';
import { type MarketCatalog, requireData } from './market-catalog.ts';
import type { QuotaService, Requester } from './quotas.ts';
import { checkRendered, customCodeError, duplicateError, keepVersion } from './strategy-checks.ts';
import {
  type CustomCode,
  isCustom,
  type StrategySettings,
  settingsOf,
  specOf,
  storedProblem,
} from './strategy-docs.ts';

export type StrategyService = {
  /** Makes a strategy from a spec; `by` is the chat identity that asked (its hourly count too). */
  create(
    ownerId: Types.ObjectId,
    input: { name: string; spec: unknown; description: string; assumptions?: string[] },
    by?: Requester,
  ): Promise<StrategyDoc>;
  list(ownerId: Types.ObjectId): Promise<StrategyDoc[]>;
  getByName(ownerId: Types.ObjectId, name: string): Promise<StrategyDoc>;
  getById(ownerId: Types.ObjectId, id: string): Promise<StrategyDoc>;
  remove(ownerId: Types.ObjectId, id: string): Promise<StrategyDoc>;
  /** Saves a changed spec as the next version (the previous one is kept) and re-renders the code. */
  update(ownerId: Types.ObjectId, id: string, spec: unknown): Promise<StrategyDoc>;
  /** Saves imported code as a new custom strategy called exactly `name` (AppError DUPLICATE if taken). */
  createCustom(
    ownerId: Types.ObjectId,
    input: CustomCode & { name: string; description: string },
    by?: Requester,
  ): Promise<StrategyDoc>;
  /** Saves imported code as the next version of a strategy still at version `basedOn`; the old one is kept. */
  replaceCode(ownerId: Types.ObjectId, id: string, input: CustomCode, basedOn: number): Promise<StrategyDoc>;
  /** The strategy called `name`, or null. */
  findByName(ownerId: Types.ObjectId, name: string): Promise<StrategyDoc | null>;
  /** Version `n` of a strategy (the current one or a kept earlier one), or AppError('NOT_FOUND'). */
  version(doc: StrategyDoc, n: number): Promise<{ version: number; spec: unknown; code: string }>;
  /** Marks the strategy as the one the user is talking about. */
  touch(ownerId: Types.ObjectId, id: Types.ObjectId): Promise<void>;
  /** The strategy the user used last, if any. */
  mostRecent(ownerId: Types.ObjectId): Promise<StrategyDoc | null>;
  /** The spec of a spec strategy; AppError BAD_COMMAND for custom code, which has none. */
  specOf(doc: StrategyDoc): StrategySpec;
  /** Timeframe and pairs of either kind. */
  settingsOf(doc: StrategyDoc): StrategySettings;
  /**
   * What is wrong with a strategy's stored spec or settings, one readable line, or undefined when it is
   * sound. A strategy with a problem can't be shown as a card or backtested, but can be listed and deleted.
   */
  storedProblem(doc: StrategyDoc): string | undefined;
};

export type StrategyServiceDeps = {
  models: Models;
  catalog: MarketCatalog;
  /** Turns a spec into Freqtrade code (freqtrade/render.ts in the app). */
  render: StrategyRenderer;
  /** Checks rendered code in the engine before it is saved; the app always gives one, unit tests may not. */
  validator?: StrategyValidator;
  logger?: Logger;
  /** Per-user limit on new strategies; absent in tests that set none. */
  quotas?: Pick<QuotaService, 'strategy'>;
};

const MAX_NAME_ATTEMPTS = 50;

export function createStrategyService(deps: StrategyServiceDeps): StrategyService {
  const { Strategy } = deps.models;

  async function freeName(ownerId: Types.ObjectId, name: string): Promise<string> {
    // Leave room for a "-NN" suffix within the 48-character name limit.
    const base = name.slice(0, 45).replace(/-+$/, '');
    const taken = new Set(
      (await Strategy.find({ ownerId, name: new RegExp(`^${base}(-\\d+)?$`) }, { name: 1 }).lean()).map(
        (s) => s.name,
      ),
    );
    if (!taken.has(base)) return base;
    for (let i = 2; i < MAX_NAME_ATTEMPTS; i++) {
      const candidate = `${base}-${i}`;
      if (!taken.has(candidate)) return candidate;
    }
    throw new AppError('DUPLICATE', `You already have many strategies called ${base}. Delete some first.`);
  }

  function notFound(name: string): AppError {
    return new AppError('NOT_FOUND', `You have no strategy called "${name}". Type /strategies to see yours.`);
  }

  async function createSpec(
    ownerId: Types.ObjectId,
    input: { name: string; spec: unknown; description: string; assumptions?: string[] },
  ): Promise<StrategyDoc> {
    const checked = validateSpec(input.spec);
    if (!checked.ok) {
      throw new AppError('SPEC_INVALID', `That strategy isn't valid: ${checked.errors.join('; ')}.`);
    }
    // A strategy that could never be backtested is refused now, not at /backtest.
    const pairs = requireData(deps.catalog, checked.spec.pairs, checked.spec.timeframe);
    const spec = { ...checked.spec, pairs };
    const name = await freeName(ownerId, normalizeStrategyName(input.name));
    const className = strategyClassName(name);
    const code = deps.render(spec, { className, name });
    await checkRendered(deps, code, className, spec);
    try {
      const doc = await Strategy.create({
        ownerId,
        name,
        className,
        description: input.description.slice(0, 500),
        kind: 'spec',
        spec,
        code,
        version: 1,
        // A card field holds about 1000 characters: twelve lines, each cut short if it runs long.
        ...(input.assumptions?.length
          ? { assumptions: input.assumptions.slice(0, 12).map((line) => line.slice(0, 240)) }
          : {}),
      });
      return doc.toObject();
    } catch (err) {
      throw duplicateError(err, name);
    }
  }

  async function createCustom(
    ownerId: Types.ObjectId,
    input: CustomCode & { name: string; description: string },
  ): Promise<StrategyDoc> {
    const pairs = requireData(deps.catalog, input.pairs, input.timeframe);
    try {
      const doc = await Strategy.create({
        ownerId,
        name: input.name,
        className: input.className,
        description: input.description.slice(0, 500),
        kind: 'custom',
        spec: null,
        timeframe: input.timeframe,
        pairs,
        code: input.code,
        version: 1,
      });
      return doc.toObject();
    } catch (err) {
      throw duplicateError(err, input.name);
    }
  }

  /** Counts a new strategy against the hourly limit of owner and asker; one not made isn't counted. */
  const counted = <T>(ownerId: Types.ObjectId, make: () => Promise<T>, by: Requester | undefined) =>
    deps.quotas ? deps.quotas.strategy(ownerId, make, by) : make();

  return {
    create: (ownerId, input, by) => counted(ownerId, () => createSpec(ownerId, input), by),
    createCustom: (ownerId, input, by) => counted(ownerId, () => createCustom(ownerId, input), by),
    async replaceCode(ownerId, id, input, basedOn) {
      const current = await this.getById(ownerId, id);
      const pairs = requireData(deps.catalog, input.pairs, input.timeframe);
      if (current.version !== basedOn) {
        throw new AppError('DUPLICATE', `${current.name} was changed meanwhile. Paste the code again.`);
      }
      await keepVersion(deps.models, current);
      const set = {
        kind: 'custom',
        spec: null,
        className: input.className,
        code: input.code,
        timeframe: input.timeframe,
        pairs,
        version: current.version + 1,
        lastUsedAt: new Date(),
      };
      const updated = await Strategy.findOneAndUpdate(
        { ownerId, _id: current._id, version: current.version },
        { $set: set, $unset: { assumptions: 1 } },
        { returnDocument: 'after' },
      ).lean();
      if (!updated)
        throw new AppError('DUPLICATE', `${current.name} was changed meanwhile. Paste the code again.`);
      return updated;
    },
    findByName: (ownerId, name) => Strategy.findOne({ ownerId, name: name.trim().toLowerCase() }).lean(),
    async list(ownerId) {
      return Strategy.find({ ownerId }).sort({ updatedAt: -1 }).lean();
    },
    async getByName(ownerId, rawName) {
      const name = rawName.trim().toLowerCase();
      if (!name) throw new AppError('BAD_COMMAND', 'Which strategy? Type /strategies to see yours.');
      const doc = await Strategy.findOne({ ownerId, name }).lean();
      if (!doc) throw notFound(rawName.trim());
      return doc;
    },
    async getById(ownerId, id) {
      if (!Types.ObjectId.isValid(id)) throw notFound(id);
      const doc = await Strategy.findOne({ ownerId, _id: new Types.ObjectId(id) }).lean();
      if (!doc)
        throw new AppError('NOT_FOUND', 'That strategy no longer exists. Type /strategies to see yours.');
      return doc;
    },
    async remove(ownerId, id) {
      const doc = await this.getById(ownerId, id);
      await Strategy.deleteOne({ ownerId, _id: doc._id });
      return doc;
    },
    async update(ownerId, id, input) {
      const current = await this.getById(ownerId, id);
      if (isCustom(current)) throw customCodeError(current);
      // "btc, eth" from a form becomes BTC/USDT, ETH/USDT before the spec is checked.
      const candidate =
        typeof input === 'object' && input !== null && 'pairs' in input && Array.isArray(input.pairs)
          ? { ...input, pairs: input.pairs.map((p: unknown) => deps.catalog.resolvePair(String(p))) }
          : input;
      const checked = validateSpec(candidate);
      if (!checked.ok)
        throw new AppError('SPEC_INVALID', `That change isn't valid: ${checked.errors.join('; ')}.`);
      const pairs = requireData(deps.catalog, checked.spec.pairs, checked.spec.timeframe);
      const spec = { ...checked.spec, pairs };
      const code = deps.render(spec, { className: current.className, name: current.name });
      await checkRendered(deps, code, current.className, spec);
      await keepVersion(deps.models, current);
      // Only the version we read is replaced: two edits at once can't both win silently.
      const updated = await Strategy.findOneAndUpdate(
        { ownerId, _id: current._id, version: current.version },
        {
          $set: { kind: 'spec', spec, code, version: current.version + 1, lastUsedAt: new Date() },
          $unset: { assumptions: 1 },
        },
        { returnDocument: 'after' },
      ).lean();
      if (!updated)
        throw new AppError('DUPLICATE', `${current.name} was changed meanwhile. Look at it again and retry.`);
      return updated;
    },
    async version(doc, n) {
      if (n === doc.version) return { version: doc.version, spec: doc.spec, code: doc.code };
      const kept =
        Number.isSafeInteger(n) && n >= 1 && n < doc.version
          ? await deps.models.StrategyVersion.findOne({
              strategyId: doc._id,
              ownerId: doc.ownerId,
              version: n,
            }).lean()
          : null;
      if (!kept) {
        const range = doc.version === 1 ? 'v1' : `v1 to v${doc.version}`;
        throw new AppError('NOT_FOUND', `${doc.name} has no version ${n}; it has ${range}.`);
      }
      return { version: kept.version, spec: kept.spec, code: kept.code };
    },
    async touch(ownerId, id) {
      await Strategy.updateOne(
        { ownerId, _id: id },
        { $set: { lastUsedAt: new Date() } },
        { timestamps: false },
      );
    },
    mostRecent: (ownerId) => Strategy.findOne({ ownerId }).sort({ lastUsedAt: -1 }).lean(),
    specOf,
    storedProblem,
    settingsOf,
  };
}
