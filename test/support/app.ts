// Builds the real app against a fresh FerretDB and the real engine, with a sink that records what
// the job posts back to the chat, so integration tests can drive the conversation core end to end.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type App, type AppTestHooks, createApp } from '../../src/app.ts';
import { configSecrets, loadConfig } from '../../src/config.ts';
import type { ChatAddress, IncomingEvent, OutgoingMessage } from '../../src/core/types.ts';
import { logOptions } from '../../src/logger.ts';
import { startTestMongo } from './ferretdb.ts';
import { ROOMY_QUOTAS } from './quotas.ts';

export type TestApp = {
  app: App;
  /** Where this app's data lives, so a second app can take over (a restart). */
  store: { mongoUri: string; dataDir: string; dbName: string };
  logs: Record<string, unknown>[];
  posted: OutgoingMessage[];
  /** The same messages with the chat each went to. */
  delivered: { to: ChatAddress; message: OutgoingMessage }[];
  send(text: string, userId?: string): Promise<OutgoingMessage[]>;
  click(payload: string, userId?: string): Promise<OutgoingMessage[]>;
  waitForFinal(key: string, timeoutMs?: number): Promise<OutgoingMessage>;
  /** Stops the app; with keepStore the database and data folder stay for a successor. */
  stop(opts?: { keepStore?: boolean }): Promise<void>;
};

const TEST_PLATFORM = 'test';

function address(userId: string): ChatAddress {
  return { platform: TEST_PLATFORM, conversationId: `dm-${userId}`, userId };
}

export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  opts: { takeOver?: TestApp['store']; test?: AppTestHooks } = {},
): Promise<TestApp> {
  const mongo = opts.takeOver ? undefined : await startTestMongo();
  const dataDir = opts.takeOver?.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'gentrade-app-'));
  // A database of its own, so files running in parallel against one MONGODB_URI never meet.
  const dbName =
    opts.takeOver?.dbName ?? `gentrade_test_${path.basename(dataDir).replace(/[^A-Za-z0-9]/g, '')}`;
  const mongoUri = opts.takeOver?.mongoUri ?? mongo?.uri;
  if (!mongoUri) throw new Error('no MongoDB for the test app');
  const config = loadConfig({
    GENTRADE_DATA_DIR: dataDir,
    JOBS_POLL_MS: '200',
    LOG_LEVEL: 'silent',
    MONGODB_DB: dbName,
    ...ROOMY_QUOTAS,
    ...env,
  });
  // Logs are kept as parsed JSON lines so tests can check the events an operator relies on.
  const logs: Record<string, unknown>[] = [];
  // Same options as production (secrets redacted), so tests see the lines operators see.
  const logger = pino(logOptions({ level: 'info', secrets: configSecrets(config) }), {
    write(line: string) {
      logs.push(JSON.parse(line));
      if (process.env.TEST_LOG) process.stderr.write(line);
    },
  });
  const app = await createApp(config, { logger, mongoUri, ...(opts.test ? { test: opts.test } : {}) });
  const posted: OutgoingMessage[] = [];
  const delivered: TestApp['delivered'] = [];
  const waiters: Array<() => void> = [];
  app.notifier.register(TEST_PLATFORM, {
    async deliver(to, msg) {
      posted.push(msg);
      delivered.push({ to, message: msg });
      for (const w of waiters.splice(0)) w();
      return { messageId: String(posted.length) };
    },
  });

  const event = (
    userId: string,
    rest: Pick<IncomingEvent, 'kind'> & Record<string, unknown>,
  ): IncomingEvent => {
    const base = {
      address: address(userId),
      sender: { platformUserId: userId, displayName: userId },
      receivedAt: new Date(),
    };
    if (rest.kind === 'action') return { ...base, kind: 'action', payload: String(rest.payload) };
    if (rest.kind === 'command')
      return { ...base, kind: 'command', name: String(rest.name), args: String(rest.args) };
    return { ...base, kind: 'message', text: String(rest.text) };
  };

  let appStopped = false;
  return {
    app,
    store: { mongoUri, dataDir, dbName },
    logs,
    posted,
    delivered,
    send(text, userId = 'alice') {
      const cmd = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i.exec(text.trim());
      const e = cmd?.[1]
        ? event(userId, { kind: 'command', name: cmd[1], args: cmd[2] ?? '' })
        : event(userId, { kind: 'message', text });
      return app.conversation.handle(e);
    },
    click(payload, userId = 'alice') {
      return app.conversation.handle(event(userId, { kind: 'action', payload }));
    },
    async waitForFinal(key, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = posted.find(
          (m) =>
            m.progress?.key === key && (m.progress.state === 'succeeded' || m.progress.state === 'failed'),
        );
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`no final message for ${key}; posted: ${JSON.stringify(posted)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500);
        });
      }
    },
    async stop(stopOpts) {
      if (!appStopped) await app.stop();
      appStopped = true;
      if (stopOpts?.keepStore) return;
      await mongo?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
