// A backtest's figures as GenTrade stores and shows them, taken from Freqtrade's result by
// freqtrade/result.ts. Shared vocabulary: the core, the agent and the jobs speak it without knowing
// Freqtrade's file format.
import { z } from 'zod';

/** What we store and show. Ratios stay ratios (0.05 = 5 %); formatting happens at the edge. */
export type BacktestSummary = {
  strategy: string;
  trades: number;
  wins: number;
  losses: number;
  draws: number;
  winRate: number | null;
  profitTotal: number;
  profitTotalAbs: number;
  maxDrawdown: number | null;
  maxDrawdownAbs: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  profitFactor: number | null;
  expectancy: number | null;
  cagr: number | null;
  marketChange: number | null;
  stakeCurrency: string;
  startingBalance: number;
  finalBalance: number;
  timeframe: string;
  periodStart: string;
  periodEnd: string;
  runtimeSeconds: number;
};

/** Parses a stored summary (the backtest service does, once, when it reads a backtest). */
export const BacktestSummarySchema = z.object({
  strategy: z.string(),
  trades: z.number(),
  wins: z.number(),
  losses: z.number(),
  draws: z.number(),
  winRate: z.number().nullable(),
  profitTotal: z.number(),
  profitTotalAbs: z.number(),
  maxDrawdown: z.number().nullable(),
  maxDrawdownAbs: z.number().nullable(),
  sharpe: z.number().nullable(),
  sortino: z.number().nullable(),
  calmar: z.number().nullable(),
  profitFactor: z.number().nullable(),
  expectancy: z.number().nullable(),
  cagr: z.number().nullable(),
  marketChange: z.number().nullable(),
  stakeCurrency: z.string(),
  startingBalance: z.number(),
  finalBalance: z.number(),
  timeframe: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  runtimeSeconds: z.number(),
}) satisfies z.ZodType<BacktestSummary>;
