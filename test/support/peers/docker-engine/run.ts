// How the Docker Engine API peer "runs" a container: no Docker engine runs on this machine, so the
// container's command (the engine's one-shot `sh -c "python -m gentrade_engine <command> <
// /gentrade/results/request.json"`) runs here with the bootstrap's venv python and PYTHONPATH on the
// host's engine folder. Each bind's container path is mapped back to its host path (in the request
// the command reads on stdin, its environment and its working folder), and host paths in its output
// to container paths again, so the bot reads what a container would print. Mounts, the user and the
// limits are not enforced here: that is Docker's part; the peer only checked they were asked for.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bind, CreateBody } from './isolation.ts';

/** One frame of Docker's multiplexed stream: 1 stdout, 2 stderr. */
export type Frame = { stream: 1 | 2; data: Buffer };

export type Running = {
  frames: Frame[];
  /** The exit code, as Docker reports it (128 + the signal's number when killed). */
  done: Promise<number>;
  kill(): void;
};

const under = (p: string, root: string) => p === root || p.startsWith(`${root}/`);

function pathMaps(binds: readonly Bind[]) {
  const byContainer = [...binds].sort((a, b) => b.container.length - a.container.length);
  const byHost = [...binds].sort((a, b) => b.host.length - a.host.length);
  return {
    toHost(p: string): string | undefined {
      const bind = byContainer.find((b) => under(p, b.container));
      return bind ? bind.host + p.slice(bind.container.length) : undefined;
    },
    toContainer(text: string): string {
      return byHost.reduce((out, b) => out.replaceAll(b.host, b.container), text);
    },
  };
}

function mapStrings(value: unknown, map: (s: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  return value;
}

/** A container whose command could not start: what `sh` would print, and its exit code. */
function failed(message: string, code: number): Running {
  return {
    frames: [{ stream: 2, data: Buffer.from(`${message}\n`) }],
    done: Promise.resolve(code),
    kill() {},
  };
}

export function runContainerCommand(
  body: CreateBody,
  binds: readonly Bind[],
  opts: { python: string; home: string },
): Running {
  const maps = pathMaps(binds);
  const hostPath = (p: string) => maps.toHost(p) ?? p;
  const argv = [...(body.Entrypoint ?? []), ...(body.Cmd ?? [])];
  const script = argv[0] === 'sh' && argv[1] === '-c' ? (argv[2] ?? '') : argv.join(' ');
  const command = /^python -m gentrade_engine ([a-z-]+) < (\S+)$/.exec(script);
  if (!command?.[1] || !command[2]) return failed(`sh: 1: ${script}: not found`, 127);
  const requestFile = maps.toHost(command[2]);
  let request: string;
  try {
    if (!requestFile) throw new Error('outside every bind');
    request = readFileSync(requestFile, 'utf8');
  } catch {
    return failed(`sh: 1: cannot open ${command[2]}: No such file`, 2);
  }
  // The request names container paths, as the container reads it; here they must be the host's.
  const stdin = JSON.stringify(mapStrings(JSON.parse(request), hostPath));
  const env: Record<string, string> = {
    PATH: `${path.dirname(opts.python)}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'C.UTF-8',
  };
  for (const entry of body.Env ?? []) {
    const at = entry.indexOf('=');
    const [key, value] = [entry.slice(0, at), entry.slice(at + 1)];
    // The image's home holds its Python packages; here the peer's own folder stands in for it.
    env[key] = key === 'HOME' ? opts.home : value.split(':').map(hostPath).join(':');
  }
  const child = spawn(opts.python, ['-m', 'gentrade_engine', command[1]], {
    cwd: body.WorkingDir ? hostPath(body.WorkingDir) : os.tmpdir(),
    env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(stdin);
  const frames: Frame[] = [];
  // Docker's json-file log keeps a line a frame; host paths in it become the container's again.
  const collect = (stream: 1 | 2, source: NodeJS.ReadableStream) => {
    let partial = '';
    source.setEncoding('utf8');
    source.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) frames.push({ stream, data: Buffer.from(`${maps.toContainer(line)}\n`) });
    });
    source.on('end', () => {
      if (partial) frames.push({ stream, data: Buffer.from(maps.toContainer(partial)) });
    });
  };
  collect(1, child.stdout);
  collect(2, child.stderr);
  const done = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      frames.push({ stream: 2, data: Buffer.from(`${err.message}\n`) });
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
  return {
    frames,
    done,
    kill() {
      // The whole process group, as Docker kills every process of the container.
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}
