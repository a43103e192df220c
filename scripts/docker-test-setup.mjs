#!/usr/bin/env node
// Test setup for the Docker runner on a real engine (test/integration/docker-real*.int.test.ts, docker-escape): a
// Docker engine that answers (started here when none does and we may: scripts/lib/docker-engine.mjs)
// and the test image built without a registry (scripts/lib/docker-image.mjs). Idempotent and
// cached: once both exist it only pings and checks. Notes go to stderr; the last stdout line is one
// JSON object, {"ok":true,"socketPath",...,"image",...} or {"ok":false,"reason"}, never a throw.
// Node built-ins only.
//
// CLI: node scripts/docker-test-setup.mjs

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveCacheRoot } from './lib/cache.mjs';
import { ensureDockerEngine } from './lib/docker-engine.mjs';
import { ensureTestImage } from './lib/docker-image.mjs';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main(env) {
  const cacheRoot = resolveCacheRoot(env);
  const logDir = join(cacheRoot, 'logs');
  mkdirSync(logDir, { recursive: true });
  const note = (line) => process.stderr.write(`docker setup: ${line}\n`);
  const t0 = performance.now();
  const engine = await ensureDockerEngine({ cacheRoot, logDir, note, env });
  if (!engine.ok) return engine;
  const engineMs = Math.round(performance.now() - t0);
  const image = await ensureTestImage({ repoDir, cacheRoot, logDir, socketPath: engine.socketPath, note });
  if (!image.ok) return image;
  return { ...engine, engineMs, ...image };
}

main(process.env)
  .catch((err) => ({
    ok: false,
    reason: `setup failed: ${err instanceof Error ? err.message : String(err)}`,
  }))
  .then((outcome) => {
    if (!outcome.ok) process.stderr.write(`docker setup: unavailable: ${outcome.reason}\n`);
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  });
