// Which Freqtrade the local engine runs, for the result cache's key: `python -m gentrade_engine
// version` reads the installed distribution's metadata (about 0.1 s, Freqtrade itself not imported).
// Asked once per process; a failure is asked again next time and means "unknown" meanwhile.
import { mkdir } from 'node:fs/promises';
import { z } from 'zod';
import { type EngineProcessSettings, spawnEngine } from './process.ts';

const VersionSchema = z.object({ freqtrade: z.string().min(1) });

async function ask(settings: EngineProcessSettings, workDir: string): Promise<string | null> {
  await mkdir(workDir, { recursive: true });
  const child = spawnEngine(settings, ['version'], { cwd: workDir, home: workDir });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr.resume();
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', resolve);
  });
  if (code !== 0) return null;
  try {
    const parsed = VersionSchema.safeParse(JSON.parse(out.trim().split('\n').at(-1) ?? ''));
    return parsed.success ? `freqtrade ${parsed.data.freqtrade}` : null;
  } catch {
    return null;
  }
}

/** "freqtrade 2026.9" for the venv's engine, or null when it can't be told. */
export function localFreqtradeVersion(settings: EngineProcessSettings, workDir: string) {
  let known: Promise<string | null> | undefined;
  return (): Promise<string | null> => {
    const asking = known ?? ask(settings, workDir);
    known = asking;
    void asking.then((v) => {
      if (v === null && known === asking) known = undefined;
    });
    return asking;
  };
}
