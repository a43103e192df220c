// One run of the engine's one-shot command in a container: create it with the isolating options
// (docker/container.ts), start, wait, kill it at the wall clock, read stdout and stderr from Docker's
// multiplexed log stream, remove it. Shared by the Docker runner (backtests) and the Docker validator
// (pasted code), so both stop and clean up the same way.
import type Docker from 'dockerode';
import { z } from 'zod';
import { AppError } from '../../src/errors.ts';

export type ContainerRun = {
  out: string;
  err: string;
  /** The command's exit code as Docker reports it (137 after a kill); null when Docker said none. */
  exitCode: number | null;
  /** The wall clock ran out and the container was killed. */
  timedOut: boolean;
};

/** The run's signal aborted (a cancel, or the worker stopping): the container was killed, not awaited. */
function containerStopped(what: string): AppError {
  return new AppError('ENGINE_FAILED', 'The run was stopped.', { detail: `aborted ${what} container` });
}

const WaitSchema = z.object({ StatusCode: z.number().int() }).loose();

/** Docker itself failed (not reachable, no such image, a request it refused): a sentence, the rest in the log. */
function dockerFailed(err: unknown, what: string, image: string | undefined): AppError {
  const said = err instanceof Error ? err.message : String(err);
  return new AppError(
    'ENGINE_FAILED',
    `Docker could not run the ${what} (its answer is in the log). Check that the Docker engine is running and has the image ${image ?? '(none named)'}, then try again.`,
    { cause: err, detail: `docker: ${said}` },
  );
}

/** Runs the container to its end or to `timeoutMs`, and removes it whatever happened. */
export async function runContainer(
  docker: Docker,
  options: Docker.ContainerCreateOptions,
  run: { timeoutMs: number; what: 'backtest' | 'validation'; signal?: AbortSignal | undefined },
): Promise<ContainerRun> {
  const { signal } = run;
  if (signal?.aborted) throw containerStopped(run.what);
  const container = await docker.createContainer(options).catch((err: unknown) => {
    throw dockerFailed(err, run.what, options.Image);
  });
  let timedOut = false;
  const kill = () => container.kill().catch(() => undefined);
  const timer = setTimeout(() => {
    timedOut = true;
    void kill();
  }, run.timeoutMs);
  // Aborted: the container is killed, so the engine stops working; it is removed below as always.
  const onAbort = () => void kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await container.start();
    // A kill sent before the container was running is refused by Docker (409): send it again.
    if (timedOut || signal?.aborted) await kill();
    const waited = WaitSchema.safeParse(await container.wait());
    clearTimeout(timer);
    if (signal?.aborted) throw containerStopped(run.what);
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return {
      ...demux(Buffer.isBuffer(logs) ? logs : Buffer.alloc(0)),
      exitCode: waited.success ? waited.data.StatusCode : null,
      timedOut,
    };
  } catch (err) {
    if (signal?.aborted) throw containerStopped(run.what);
    throw dockerFailed(err, run.what, options.Image);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    clearTimeout(timer);
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Splits Docker's multiplexed log frames (8-byte header: stream id, 3 zero bytes, big-endian length). */
function demux(buf: Buffer): { out: string; err: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buf.length) {
    const stream = buf[offset];
    const size = buf.readUInt32BE(offset + 4);
    const chunk = buf.subarray(offset + 8, offset + 8 + size);
    if (stream === 2) err.push(chunk);
    else out.push(chunk);
    offset += 8 + size;
  }
  // Joined before decoding: a frame may end inside a multi-byte character.
  return { out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') };
}
