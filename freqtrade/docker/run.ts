// One run of the engine's one-shot command in a container: create it with the isolating options
// (docker/container.ts), start, wait, kill it at the wall clock, read stdout and stderr from Docker's
// multiplexed log stream, remove it. Shared by the Docker runner (backtests, optimisations) and the
// Docker validator (pasted code), so all stop and clean up the same way.
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
  run: {
    timeoutMs: number;
    what: 'backtest' | 'optimisation' | 'validation';
    signal?: AbortSignal | undefined;
    /** Hears each stdout line as the container writes it (the engine's progress events). */
    onLine?: ((line: string) => void) | undefined;
  },
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
    // Followed from the start (Docker sends what came before too), so lines arrive as written.
    const output = followLogs(await container.logs({ stdout: true, stderr: true, follow: true }), run.onLine);
    const waited = WaitSchema.safeParse(await container.wait());
    clearTimeout(timer);
    if (signal?.aborted) throw containerStopped(run.what);
    return {
      ...(await output),
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

/**
 * Reads Docker's multiplexed log stream (frames: an 8-byte header of stream id, 3 zero bytes and a
 * big-endian length) to its end, handing each complete stdout line to `onLine` on the way.
 */
function followLogs(
  stream: NodeJS.ReadableStream,
  onLine: ((line: string) => void) | undefined,
): Promise<{ out: string; err: string }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let pending = Buffer.alloc(0);
  let line: Buffer[] = [];
  const heard = (chunk: Buffer) => {
    if (!onLine) return;
    let from = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, from)) {
      line.push(chunk.subarray(from, at));
      onLine(Buffer.concat(line).toString('utf8'));
      line = [];
      from = at + 1;
    }
    if (from < chunk.length) line.push(chunk.subarray(from));
  };
  return new Promise((resolve, reject) => {
    stream.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 8 && pending.length >= 8 + pending.readUInt32BE(4)) {
        const size = pending.readUInt32BE(4);
        const chunk = pending.subarray(8, 8 + size);
        if (pending[0] === 2) err.push(chunk);
        else {
          out.push(chunk);
          heard(chunk);
        }
        pending = pending.subarray(8 + size);
      }
    });
    stream.on('error', reject);
    // Joined before decoding: a frame may end inside a multi-byte character.
    stream.on('end', () =>
      resolve({ out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }),
    );
  });
}
