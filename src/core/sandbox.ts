// What the core does where the engine can't sandbox strategy code at the operating-system level
// (macOS, a container that forbids namespaces, an engine started with isolation off): pasted code is
// refused, before it runs anywhere, with a sentence naming the Docker runner, and /help says so.
// Strategies built from a description keep working: their code comes from our renderer, never from a
// person. The decision is the engine's own report (its ready line), injected as a port. With the Docker
// runner there is no such report and nothing is refused here: pasted code is validated and backtested
// inside the isolating container (freqtrade/docker/validator.ts, docker/runner.ts), which is the
// boundary, so the advice below holds.

import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { SandboxReport, SandboxStatus } from './ports.ts';

const DOCKER = 'Use the Docker runner (FREQTRADE_RUNNER=docker) for isolation.';

function because(report: SandboxReport): string {
  return report.reason ?? 'the engine gave no reason';
}

/** The sentence for the operator at start and for everyone in /help. */
function noSandboxNotice(report: SandboxReport): string {
  return `Strategy code runs without the OS sandbox here (${because(report)}); pasted strategies are refused. ${DOCKER}`;
}

/** The /help line: only once the engine said it has no OS sandbox (/help never waits for it to start). */
export function sandboxHelpLine(status: SandboxStatus | undefined): string | undefined {
  const report = status?.known();
  return report && !report.isolated ? noSandboxNotice(report) : undefined;
}

/**
 * Refuses to run pasted code (an import, or a backtest of custom code) when the engine has no OS
 * sandbox; waits for the engine's report, starting it if needed. Without a status (the Docker runner,
 * where the container is the boundary) nothing is refused here.
 */
export async function requireSandboxFor(
  what: 'import' | { backtest: string },
  status: SandboxStatus | undefined,
): Promise<void> {
  if (!status) return;
  const report = await status.report();
  if (report.isolated) return;
  const why = `strategy code runs without the OS sandbox on this machine (${because(report)})`;
  const refusal =
    what === 'import'
      ? `I can't import pasted strategies here: ${why}, so pasted code is refused and nothing was saved.`
      : `I can't backtest ${what.backtest} here: it is pasted code, and ${why}.`;
  throw new AppError('CONFIG', `${refusal} ${DOCKER} Strategies made from a description still work.`, {
    detail: `no OS sandbox: ${report.reason ?? 'no reason'}`,
  });
}

/**
 * Asks the engine for its report at start (main.ts) rather than on first use, so a machine where it
 * can't sandbox strategy code is said at once: a warning in the log and a line for the operator's
 * terminal. An engine that fails to start is not fatal here: each request that needs it says so.
 */
export async function announceSandbox(
  status: SandboxStatus | undefined,
  out: { logger: Logger; print: (line: string) => void },
): Promise<void> {
  if (!status) return;
  try {
    const report = await status.report();
    if (report.isolated) {
      out.logger.info({ event: 'os_sandbox' }, 'strategy code runs in the OS sandbox');
      return;
    }
    const notice = noSandboxNotice(report);
    out.logger.warn({ event: 'no_os_sandbox', reason: report.reason }, notice);
    out.print(`gentrade: warning: ${notice}`);
  } catch (err) {
    out.logger.warn({ err }, 'the engine did not start; its sandbox is checked again on first use');
  }
}
