// Process entry for `npm start`: loads config, starts the embedded FerretDB when MONGODB_URI is unset,
// builds the app, runs the console chat, and shuts everything down in order on exit or signal.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CONSOLE_PLATFORM, createConsoleAdapter } from '../adapters/console/index.ts';
import { consoleWidth } from '../adapters/console/render.ts';
import { createApp } from './app.ts';
import { configSecrets, loadConfig } from './config.ts';
import { chartsRoot } from './core/chart-files.ts';
import { announceSandbox } from './core/sandbox.ts';
import { AppError, isAppError } from './errors.ts';
import { createLogger } from './logger.ts';
import { startPlatforms } from './platforms.ts';
import { startFerretDb } from './storage/ferretdb.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  const stdinIsTty = Boolean(process.stdin.isTTY);
  const hasPlatforms = Object.values(config.platforms).some((p) => p !== undefined);
  // With chat platforms the console runs only in a terminal (a service's stdin is /dev/null: EOF at
  // once); without them it also reads piped commands, so scripts can drive the bot.
  const runConsole = config.role !== 'worker' && (config.console ?? (hasPlatforms ? stdinIsTty : true));
  // With the console on stdout, JSON logs go to a file so they don't interleave with the chat.
  const logFile =
    config.log.file ?? (runConsole ? path.join(config.dataDir, 'logs', 'gentrade.log') : undefined);
  const logger = createLogger({
    level: config.log.level,
    destination: logFile,
    secrets: configSecrets(config),
  });
  if (runConsole && logFile) process.stderr.write(`Logs: ${logFile}\n`);

  const cleanups: Array<() => Promise<void>> = [];
  const shutdown = async () => {
    for (const fn of cleanups.reverse())
      await fn().catch((err) => logger.error({ err }, 'shutdown step failed'));
    logger.flush();
  };

  let mongoUri = config.mongo.uri;
  if (!mongoUri && config.role === 'worker') {
    // An embedded database of its own would give the worker a queue nobody else fills.
    throw new AppError(
      'CONFIG',
      "A worker needs MONGODB_URI: the bot's database (the embedded FerretDB a bot starts listens on mongodb://127.0.0.1:27117/).",
    );
  }
  if (!mongoUri) {
    if (!config.mongo.ferretdbBin) {
      throw new AppError(
        'CONFIG',
        'No MongoDB: set MONGODB_URI, or run `npm run bootstrap` to build the embedded FerretDB (needs Go 1.24+).',
      );
    }
    const dataDir = path.join(config.dataDir, 'ferretdb');
    mkdirSync(dataDir, { recursive: true });
    const db = await startFerretDb({
      bin: config.mongo.ferretdbBin,
      dataDir,
      port: config.mongo.ferretdbPort,
      fallbackToFreePort: true,
      logger,
    });
    cleanups.push(() => db.stop());
    mongoUri = db.uri;
    logger.info({ uri: db.uri }, 'embedded FerretDB started');
  }

  const app = await createApp(config, { logger, mongoUri });
  cleanups.push(() => app.stop());
  // The engine warms up while the platforms connect; its warning comes before the console's prompt.
  const sandboxReported = announceSandbox(app.sandbox, {
    logger,
    print: (line) => process.stderr.write(`${line}\n`),
  });
  if (config.role !== 'worker') {
    for (const platform of await startPlatforms(config, app, logger)) cleanups.push(() => platform.stop());
  }
  await sandboxReported;

  const onSignal = (signal: string) => {
    logger.info({ signal }, 'stopping');
    void shutdown().then(() => process.exit(0));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));

  if (runConsole) {
    const adapter = createConsoleAdapter({
      conversation: app.conversation,
      input: process.stdin,
      output: process.stdout,
      interactive: stdinIsTty,
      imageDir: chartsRoot(config.dataDir),
      // The terminal's width, or $COLUMNS when the output is piped (a script may say how wide to print).
      width: () =>
        consoleWidth(
          process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS) || undefined,
        ),
    });
    app.notifier.register(CONSOLE_PLATFORM, adapter);
    await adapter.run();
    await shutdown();
    return 0;
  }
  logger.info({ role: config.role }, 'running without console until a signal stops it');
  return new Promise<number>(() => undefined);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A terminal user starting the bot is its operator: show the detail too.
    const detail =
      err instanceof Error && err.message !== (isAppError(err) ? err.userMessage : '') ? err.message : '';
    const message = isAppError(err)
      ? `${err.userMessage}${detail ? `\n${detail}` : ''}`
      : err instanceof Error
        ? err.stack
        : String(err);
    process.stderr.write(`gentrade: ${message}\n`);
    process.exit(1);
  },
);
