// A real Docker engine and the test image for the Docker runner's tests, through
// scripts/docker-test-setup.mjs (which starts Debian's dockerd and builds the image when needed):
// its notes go to this process's stderr, its last stdout line says what it got or why not.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const SetupSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    socketPath: z.string(),
    /** dockerd was started by this setup (else one already answered). */
    started: z.boolean(),
    storageDriver: z.string().optional(),
    startMs: z.number().optional(),
    engineMs: z.number(),
    image: z.string(),
    /** How the base image (rootfs + venv) came to be in the engine. */
    base: z.enum(['present', 'loaded', 'built']),
    baseMs: z.number(),
    engineLayerMs: z.number(),
    tarball: z.string(),
  }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);

export type RealDocker = z.infer<typeof SetupSchema>;

/** Runs the setup script; a cold image build takes about a minute, a cached start seconds. */
export function prepareRealDocker(): Promise<RealDocker> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'docker-test-setup.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', (err) => resolve({ ok: false, reason: `setup did not start: ${err.message}` }));
    child.on('close', (code) => {
      const last = Buffer.concat(out).toString('utf8').trim().split('\n').at(-1) ?? '';
      try {
        resolve(SetupSchema.parse(JSON.parse(last)));
      } catch {
        resolve({
          ok: false,
          reason: `setup exited with ${code} and said ${JSON.stringify(last.slice(0, 300))}`,
        });
      }
    });
  });
}
