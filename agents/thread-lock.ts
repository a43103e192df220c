// One turn at a time per conversation thread: a Confirm pressed twice, or pressed while "no" is typed,
// must not run two graph resumes against the same waiting question. An in-process promise chain per
// thread id; entries are dropped once their chain is idle, so the map holds only busy threads.
type ThreadLock = <T>(threadId: string, fn: () => Promise<T>) => Promise<T>;

export function createThreadLock(): ThreadLock {
  const tails = new Map<string, Promise<unknown>>();
  return (threadId, fn) => {
    const before = tails.get(threadId) ?? Promise.resolve();
    const run = before.then(() => fn());
    // The tail never rejects, so one failed turn doesn't fail the next one in line.
    const tail = run.catch(() => undefined);
    tails.set(threadId, tail);
    void tail.then(() => {
      if (tails.get(threadId) === tail) tails.delete(threadId);
    });
    return run;
  };
}
