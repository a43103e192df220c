// The one error type the bootstrap throws on purpose: what failed, what to do about it, and where
// the full tool output is, so the top level can print a single actionable paragraph.

export class BootstrapError extends Error {
  /**
   * @param {string} step      short step name, e.g. "ferretdb v1.24.2"
   * @param {string} problem   what failed, one or two sentences
   * @param {string} remedy    what the user should do
   * @param {{ logPath?: string, outputTail?: string, cause?: unknown }} [extra]
   */
  constructor(step, problem, remedy, extra = {}) {
    super(`${step}: ${problem}`, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'BootstrapError';
    this.step = step;
    this.problem = problem;
    this.remedy = remedy;
    this.logPath = extra.logPath;
    this.outputTail = extra.outputTail;
  }
}

/** Renders any error as the paragraph (plus optional output tail) the bootstrap prints before exiting 1. */
export function describeFailure(err) {
  if (err instanceof AggregateError) return err.errors.map(describeFailure).join('\n\n');
  if (err instanceof BootstrapError) {
    const log = err.logPath ? ` Full output: ${err.logPath}` : '';
    const paragraph = `bootstrap failed at "${err.step}": ${err.problem} ${err.remedy}${log}`;
    if (!err.outputTail) return paragraph;
    const tail = err.outputTail
      .split('\n')
      .map((line) => `  | ${line}`)
      .join('\n');
    return `${paragraph}\nLast lines of output:\n${tail}`;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `bootstrap failed with an unexpected error (a bug in scripts/bootstrap.mjs; please report it): ${message}`;
}
