// A real headless browser for page tests: Debian's chromium driven by playwright-core. When it is
// missing and we are root on Debian, it is installed with apt; otherwise tests skip with the reason.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const installed = () => CANDIDATES.find((p) => existsSync(p));

/** The chromium binary, installing it when possible; `reason` says why there is none. */
export function findChromium(): { path: string } | { reason: string } {
  const found = installed();
  if (found) return { path: found };
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root)
    return { reason: 'chromium is not installed and installing it needs root (apt-get install chromium)' };
  if (!existsSync('/usr/bin/apt-get'))
    return { reason: 'chromium is not installed and there is no apt-get here' };
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      env,
      stdio: 'ignore',
      timeout: 900_000,
    });
  } catch (err) {
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      execFileSync('apt-get', ['update'], { env, stdio: 'ignore', timeout: 300_000 });
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
        env,
        stdio: 'ignore',
        timeout: 900_000,
      });
    } catch {
      return {
        reason: `apt-get could not install chromium: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  const now = installed();
  return now ? { path: now } : { reason: 'apt-get ran but no chromium binary appeared' };
}
