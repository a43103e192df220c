// Step reporter for the bootstrap: one line per step with its duration (or "ok (cached)"),
// then a total, so a slow first run explains itself and a cached run is visibly instant.

/** Formats milliseconds as "0.12s" / "84.3s" / "2m05s". */
function formatDuration(ms) {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/**
 * @param {{ quiet: boolean, write?: (line: string) => void }} options
 */
export function createLog({ quiet, write = (line) => process.stdout.write(`${line}\n`) }) {
  const startedAt = performance.now();
  const say = (line) => {
    if (!quiet) write(`bootstrap: ${line}`);
  };

  return {
    /** A progress note inside a long step (which build path was taken, expected duration). */
    note: say,

    /**
     * Runs one step. `fn` resolves to `{ cached: true }` when nothing had to be done, or
     * `{ cached: false, detail?: string }` after doing the work.
     */
    async step(name, fn) {
      const t0 = performance.now();
      const result = await fn();
      if (result.cached) say(`${name}: ok (cached)`);
      else {
        const took = formatDuration(performance.now() - t0);
        say(`${name}: ok (${took}${result.detail ? `, ${result.detail}` : ''})`);
      }
      return result;
    },

    total() {
      say(`done in ${formatDuration(performance.now() - startedAt)}`);
    },
  };
}
