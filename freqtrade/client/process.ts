// How GenTrade starts the Python engine, shared by the one-shot runner and the warm server: the
// bootstrap's venv python, an environment with nothing but what Python needs (no API keys, tokens or
// database URIs reach strategy code), its own process group, and death with the bot.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';

/** Where and how to run the engine's python (from config). */
export type EngineProcessSettings = {
  python: string;
  /** PATH for the engine process; nothing else of our environment is passed on. */
  path: string;
  engineDir: string;
};

const SETPRIV = '/usr/bin/setpriv';

/** Only what Python needs. */
function engineEnv(settings: EngineProcessSettings, home: string): NodeJS.ProcessEnv {
  return {
    PATH: settings.path,
    HOME: home,
    LANG: 'C.UTF-8',
    PYTHONPATH: settings.engineDir,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  };
}

/**
 * Spawns `python -m gentrade_engine ...args` in its own process group (detached) so a kill reaches
 * Freqtrade's children too; setpriv asks the kernel to kill the engine if the bot dies, so no orphan
 * keeps running.
 */
export function spawnEngine(
  settings: EngineProcessSettings,
  args: string[],
  opts: { cwd: string; home: string },
): ChildProcessWithoutNullStreams {
  const argv = ['-m', 'gentrade_engine', ...args];
  const [file, fileArgs] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', settings.python, ...argv]]
    : [settings.python, argv];
  return spawn(file, fileArgs, {
    cwd: opts.cwd,
    env: engineEnv(settings, opts.home),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
}

/** SIGKILL the engine's whole process group (falls back to the process alone). */
export function killEngine(child: { pid?: number | undefined; kill(signal: NodeJS.Signals): boolean }): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Idle servers must not keep Node alive; busy ones must. */
export function setRef(child: ChildProcessWithoutNullStreams, on: boolean): void {
  if (on) child.ref();
  else child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    if (!(stream instanceof Socket)) continue;
    if (on) stream.ref();
    else stream.unref();
  }
}
