// Coarse timers for benchmarks: wraps an object's methods so the wall time during which at least one of
// them is running adds up in a meter (overlapping calls count once), with the number of calls.
export type Meter = { ms: number; calls: number };

export function createMeter(): Meter {
  return { ms: 0, calls: 0 };
}

/** Replaces `names` on `target` (an instance or a prototype) with timed wrappers feeding `meter`. */
export function meterMethods(target: object, names: readonly string[], meter: Meter): void {
  let active = 0;
  let since = 0;
  const enter = () => {
    meter.calls++;
    if (active++ === 0) since = performance.now();
  };
  const leave = () => {
    if (--active === 0) meter.ms += performance.now() - since;
  };
  for (const name of names) {
    const original: unknown = Reflect.get(target, name);
    if (typeof original !== 'function') throw new Error(`${name} is not a method`);
    Reflect.set(target, name, function (this: unknown, ...args: unknown[]): unknown {
      enter();
      let out: unknown;
      try {
        out = Reflect.apply(original, this, args);
      } catch (err) {
        leave();
        throw err;
      }
      if (out instanceof Promise) return out.finally(leave);
      leave();
      return out;
    });
  }
}

/** Every function-valued own property of `target`. */
export function methodNames(target: object): string[] {
  return Object.keys(target).filter((k) => typeof Reflect.get(target, k) === 'function');
}

/** The p-th percentile (0..100) of `xs`, nearest rank. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}
