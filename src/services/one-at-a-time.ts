// Runs the steps that change one thing one after another within this process. The embedded FerretDB
// does not make a write conditional on what it read atomic against another connection doing the same
// (40 confirms of one link code at once linked it 3 times; 40 compare-and-sets of one counter lost 3),
// and the bot is one process: queueing them here closes the race there, while MongoDB's own atomic
// single-document writes cover processes that share a real server.

/** The last step queued per key: the next one waits for it. */
const pending = new Map<string, Promise<unknown>>();

/** Runs `fn` once every step on `key` this process started before it has settled. */
export function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (pending.get(key) ?? Promise.resolve()).then(fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  pending.set(key, settled);
  void settled.then(() => {
    if (pending.get(key) === settled) pending.delete(key);
  });
  return run;
}
