// What every command, button and form handler is given: the services and ports (deps) and who is asking
// (ctx). Its own file so the handlers of each command family share it without importing each other.
import type { Types } from 'mongoose';
import type { EquitySeries } from '../../backtest/equity.ts';
import type { Notifier } from '../../notifier.ts';
import type { AccountService, Identity } from '../../services/accounts.ts';
import type { BacktestService } from '../../services/backtests.ts';
import type { LinkCodes } from '../../services/link-codes.ts';
import type { LinkNews } from '../../services/link-news.ts';
import type { MarketCatalog } from '../../services/market-catalog.ts';
import type { QuotaService, Requester } from '../../services/quotas.ts';
import type { StrategyService } from '../../services/strategies.ts';
import type { StrategyValidator } from '../../strategy/verdict.ts';
import type { DraftProgressDeps } from '../draft-progress.ts';
import type { SandboxStatus, SpecDrafter } from '../ports.ts';
import type { ChatAddress } from '../types.ts';
import type { PendingImports } from './import-pending.ts';

/** What importing pasted code needs; all absent in unit tests that import nothing. */
export type ImportDeps = { validator?: StrategyValidator; imports?: PendingImports; sandbox?: SandboxStatus };

export type HandlerDeps = {
  strategies: StrategyService;
  backtests: BacktestService;
  drafter: SpecDrafter;
  catalog: MarketCatalog;
  /** Draws one stored equity curve (a result answered from the cache). */
  equityChart?: (equity: EquitySeries, title: string) => Promise<Uint8Array>;
  /** Draws the strategies' equity curves overlaid, for /compare. */
  compareChart?: (series: { name: string; equity: EquitySeries }[]) => Promise<Uint8Array>;
  /** Edits a backtest's progress message in the chat it was started from (a cancel asked elsewhere). */
  notifier?: Pick<Notifier, 'notify'>;
  /** Refuses a new strategy before a slow draft when the hourly limit is used up. */
  quotas?: Pick<QuotaService, 'checkStrategy'>;
} & ImportDeps &
  LinkingDeps &
  DraftProgressDeps;
/** Account linking, when Clerk is configured. */
export type LinkingDeps = {
  linking?: { codes: LinkCodes; accounts: AccountService; news: LinkNews; pageUrl: string };
};

export type HandlerCtx = {
  ownerId: Types.ObjectId;
  /** Who is asking, on which platform. */
  identity?: Identity;
  /** Where a private answer reaches them (see IncomingEvent.direct). */
  direct?: ChatAddress;
  address: ChatAddress;
  correlationId: string;
  /** The platform opens forms (modals); otherwise the core asks field by field. */
  forms?: boolean;
};

/** The chat identity asking, which quotas count as well as the account. */
export function askerOf(ctx: HandlerCtx): Requester {
  return ctx.identity
    ? { platform: ctx.identity.platform, platformUserId: ctx.identity.platformUserId }
    : { platform: ctx.address.platform, platformUserId: ctx.address.userId };
}
