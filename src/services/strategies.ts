// Strategies belong to one owner; every query is scoped by ownerId so a user can only ever see and
// touch their own. Code is always rendered from the spec here, never taken from the model.
import { Types } from 'mongoose';
import { renderStrategy } from '../../freqtrade/render.ts';
import { AppError } from '../errors.ts';
import type { Models, StrategyDoc } from '../storage/models.ts';
import {
  normalizeStrategyName,
  type StrategySpec,
  strategyClassName,
  validateSpec,
} from '../strategy/spec.ts';
import { type MarketCatalog, requireData } from './market-catalog.ts';

export type StrategyService = {
  create(
    ownerId: Types.ObjectId,
    input: { name: string; spec: unknown; description: string },
  ): Promise<StrategyDoc>;
  list(ownerId: Types.ObjectId): Promise<StrategyDoc[]>;
  getByName(ownerId: Types.ObjectId, name: string): Promise<StrategyDoc>;
  getById(ownerId: Types.ObjectId, id: string): Promise<StrategyDoc>;
  remove(ownerId: Types.ObjectId, id: string): Promise<StrategyDoc>;
  /** Saves a changed spec as the next version (the previous one is kept) and re-renders the code. */
  update(ownerId: Types.ObjectId, id: string, spec: unknown): Promise<StrategyDoc>;
  /** Version `n` of a strategy (the current one or a kept earlier one), or AppError('NOT_FOUND'). */
  version(doc: StrategyDoc, n: number): Promise<{ version: number; spec: unknown; code: string }>;
  /** Marks the strategy as the one the user is talking about. */
  touch(ownerId: Types.ObjectId, id: Types.ObjectId): Promise<void>;
  /** The strategy the user used last, if any. */
  mostRecent(ownerId: Types.ObjectId): Promise<StrategyDoc | null>;
  specOf(doc: StrategyDoc): StrategySpec;
};

const MAX_NAME_ATTEMPTS = 50;

export function createStrategyService(deps: { models: Models; catalog: MarketCatalog }): StrategyService {
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

  function specOf(doc: StrategyDoc): StrategySpec {
    const checked = validateSpec(doc.spec);
    if (!checked.ok) {
      throw new AppError('SPEC_INVALID', `The stored spec of ${doc.name} is no longer valid.`, {
        detail: checked.errors.join('; '),
      });
    }
    return checked.spec;
  }

  return {
    async create(ownerId, input) {
      const checked = validateSpec(input.spec);
      if (!checked.ok) {
        throw new AppError('SPEC_INVALID', `That strategy isn't valid: ${checked.errors.join('; ')}.`);
      }
      // A strategy that could never be backtested is refused now, not at /backtest.
      const pairs = requireData(deps.catalog, checked.spec.pairs, checked.spec.timeframe);
      const spec = { ...checked.spec, pairs };
      const name = await freeName(ownerId, normalizeStrategyName(input.name));
      const className = strategyClassName(name);
      const code = renderStrategy(spec, { className, name });
      try {
        const doc = await Strategy.create({
          ownerId,
          name,
          className,
          description: input.description.slice(0, 500),
          spec,
          code,
          version: 1,
        });
        return doc.toObject();
      } catch (err) {
        if (typeof err === 'object' && err !== null && 'code' in err && err.code === 11000) {
          throw new AppError('DUPLICATE', `You already have a strategy called ${name}. Try again.`, {
            cause: err,
          });
        }
        throw err;
      }
    },
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
      const code = renderStrategy(spec, { className: current.className, name: current.name });
      await deps.models.StrategyVersion.updateOne(
        { strategyId: current._id, version: current.version },
        { $setOnInsert: { ownerId, spec: current.spec, code: current.code } },
        { upsert: true },
      );
      // Only the version we read is replaced: two edits at once can't both win silently.
      const updated = await Strategy.findOneAndUpdate(
        { ownerId, _id: current._id, version: current.version },
        { $set: { spec, code, version: current.version + 1, lastUsedAt: new Date() } },
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
  };
}
