// The files an account leaves on disk, removed when its Clerk user is deleted: each backtest's result
// folder (data/backtests/<id>) and the console's charts of its chat users (data/charts/<user>).
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { chartsRoot, userChartDir } from '../core/chart-files.ts';
import type { AccountCleanup } from './account-sync.ts';

export function createAccountFiles(deps: {
  dataDir: string;
  /** The platform whose adapter saves charts on this machine (the console). */
  chartPlatform: string;
}): Pick<AccountCleanup, 'removeBacktestFiles' | 'removeChartFiles'> {
  return {
    async removeBacktestFiles(backtestId) {
      const dir = path.join(deps.dataDir, 'backtests', path.basename(backtestId));
      const existed = existsSync(dir);
      await rm(dir, { recursive: true, force: true });
      return existed;
    },
    async removeChartFiles(platform, platformUserId) {
      if (platform !== deps.chartPlatform) return 0;
      const dir = userChartDir(chartsRoot(deps.dataDir), platformUserId);
      const files = await readdir(dir).catch(() => []);
      await rm(dir, { recursive: true, force: true });
      return files.length;
    },
  };
}
