// The market catalog of the bootstrap's sample data, as the app reads it, for tests that need to know
// which pairs and dates it covers.
import { loadConfig } from '../../src/config.ts';
import { createMarketCatalog, type MarketCatalog } from '../../src/services/market-catalog.ts';

export function sampleCatalog(): MarketCatalog {
  const config = loadConfig({});
  return createMarketCatalog({
    marketsPath: config.freqtrade.marketsPath ?? '',
    dataDir: config.freqtrade.marketDataDir ?? '',
    quote: 'USDT',
  });
}
