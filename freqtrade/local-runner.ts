// Runs a backtest with our Python engine in the bootstrap's venv: one process per backtest, its own
// results folder, no secrets in its environment, and a wall-clock timeout.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../src/errors.ts';
import { readResultJson } from './result.ts';
import {
  type BacktestRunner,
  type EngineSettings,
  engineError,
  engineRequest,
  readEngineReply,
} from './runner.ts';

export type LocalRunnerOptions = EngineSettings & {
  python: string;
  /** PATH for the engine process (from config); nothing else of our environment is passed on. */
  path: string;
  logger: Logger;
};

const STDERR_TAIL = 4000;
const SETPRIV = '/usr/bin/setpriv';

/** Only what Python needs: no API keys, tokens or database URIs reach strategy code. */
function engineEnv(opts: LocalRunnerOptions, home: string): NodeJS.ProcessEnv {
  return {
    PATH: opts.path,
    HOME: home,
    LANG: 'C.UTF-8',
    PYTHONPATH: opts.engineDir,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  };
}

export function createLocalRunner(opts: LocalRunnerOptions): BacktestRunner {
  return {
    async run(req, runOpts) {
      const dir = path.join(opts.resultsRoot, req.backtestId);
      const strategyDir = path.join(dir, 'strategies');
      await mkdir(strategyDir, { recursive: true });
      const strategyPath = path.join(strategyDir, `${req.className}.py`);
      await writeFile(strategyPath, req.code, 'utf8');
      const request = engineRequest(
        req,
        { strategyPath, datadir: opts.marketDataDir, marketsPath: opts.marketsPath, resultsDir: dir },
        opts,
      );
      const started = Date.now();
      const { code, stdout, stderr, timedOut } = await runProcess(
        opts.python,
        ['-m', 'gentrade_engine', 'backtest'],
        { cwd: dir, env: engineEnv(opts, dir), input: JSON.stringify(request), timeoutMs: opts.timeoutMs },
        runOpts?.signal,
      );
      const durationMs = Date.now() - started;
      if (timedOut) {
        throw new AppError(
          'ENGINE_TIMEOUT',
          `The backtest took longer than ${Math.round(opts.timeoutMs / 1000)} s and was stopped. Try a shorter date range or fewer pairs.`,
        );
      }
      const reply = readEngineReply(stdout);
      if (!reply) {
        opts.logger.error({ exitCode: code, stderr: stderr.slice(-STDERR_TAIL) }, 'engine gave no reply');
        throw new AppError(
          'ENGINE_FAILED',
          'The backtest engine stopped unexpectedly. Try again in a moment.',
          {
            detail: `engine exit ${code}: ${stderr.slice(-500)}`,
          },
        );
      }
      if (!reply.ok) {
        opts.logger.warn(
          { engineCode: reply.code, stderr: stderr.slice(-STDERR_TAIL) },
          'engine refused backtest',
        );
        throw engineError(reply.code, reply.message);
      }
      const result = readResultJson(await readFile(reply.result_path, 'utf8'));
      return { resultPath: reply.result_path, result, durationMs };
    },
  };
}

type ProcessResult = { code: number | null; stdout: string; stderr: string; timedOut: boolean };

function runProcess(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input: string; timeoutMs: number },
  signal?: AbortSignal,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    // Its own process group (detached) so a timeout kills Freqtrade's children too; setpriv asks the
    // kernel to kill the engine if the bot dies, so no orphan keeps running.
    const [file, argv] = existsSync(SETPRIV)
      ? [SETPRIV, ['--pdeathsig', 'KILL', '--', cmd, ...args]]
      : [cmd, args];
    const child = spawn(file, argv, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const kill = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    signal?.addEventListener('abort', kill, { once: true });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-64_000);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(
        new AppError(
          'ENGINE_FAILED',
          'The backtest engine could not start. Run `npm run bootstrap` and try again.',
          {
            cause: err,
          },
        ),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input);
  });
}
