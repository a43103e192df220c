// A warm engine server of the bootstrapped venv in a temporary folder, for tests and benches that speak
// to the engine without the app: the paths of the sample data and markets snapshot beside it, and one
// stop that kills the server and removes the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { createEngineServer, type EngineServer } from '../../freqtrade/client/server.ts';
import { loadConfig } from '../../src/config.ts';

/** The bootstrapped engine's settings; throws when the bootstrap has not run. */
function bootstrappedEngine() {
  const ft = loadConfig({}).freqtrade;
  if (!ft.python || !ft.marketDataDir || !ft.marketsPath)
    throw new Error('run node scripts/bootstrap.mjs first');
  return {
    settings: { python: ft.python, path: ft.path, engineDir: ft.engineDir },
    paths: { datadir: ft.marketDataDir, marketsPath: ft.marketsPath },
  };
}

export type LocalEngineServer = ReturnType<typeof bootstrappedEngine> & {
  server: EngineServer;
  /** The temporary folder: the server works in `server/` below it; the rest is the caller's. */
  root: string;
  stop(): Promise<void>;
};

export function startLocalEngineServer(
  prefix: string,
  opts: { slots?: number; logger?: Logger; serveArgs?: readonly string[] } = {},
): LocalEngineServer {
  const engine = bootstrappedEngine();
  const root = mkdtempSync(path.join(os.tmpdir(), `gentrade-${prefix}-`));
  const server = createEngineServer({
    ...engine.settings,
    slots: opts.slots ?? 1,
    workDir: path.join(root, 'server'),
    logger: opts.logger ?? pino({ level: 'silent' }),
    ...(opts.serveArgs ? { serveArgs: opts.serveArgs } : {}),
  });
  return {
    ...engine,
    server,
    root,
    async stop() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
