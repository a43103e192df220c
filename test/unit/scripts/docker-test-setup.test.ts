// The Docker test setup's answers where it cannot get an engine, through its CLI (the JSON line the
// real-engine tests read), and the apt sources it takes debootstrap's mirror from.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../../scripts/docker-test-setup.mjs', import.meta.url));
const moduleUrl = new URL('../../../scripts/lib/docker-image.mjs', import.meta.url).href;
const { mirrorFrom } = (await import(moduleUrl)) as { mirrorFrom: (texts: string[]) => string };

function setup(env: Record<string, string>): Promise<{ last: unknown; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli], { env: { ...process.env, ...env } }, (_err, stdout, stderr) => {
      resolve({ last: JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null'), stderr });
    });
  });
}

describe('docker-test-setup', () => {
  it('names an engine that does not answer, and starts none in its place', async () => {
    const { last, stderr } = await setup({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(last).toEqual({
      ok: false,
      reason: 'no Docker engine answers at DOCKER_HOST=unix:///nonexistent/docker.sock',
    });
    expect(stderr).toContain('docker setup: unavailable: no Docker engine answers');
  });

  it('says it only speaks to a unix socket', async () => {
    const { last } = await setup({ DOCKER_HOST: 'tcp://127.0.0.1:1' });
    expect(last).toEqual({ ok: false, reason: 'DOCKER_HOST=tcp://127.0.0.1:1 is not a unix socket' });
  });
});

describe('the mirror debootstrap uses', () => {
  it('is the one serving bookworm itself, in deb822 or one-line sources', () => {
    const deb822 = [
      'Types: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security\nComponents: main',
      'Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\nComponents: main',
      'Types: deb\n# a comment\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main',
    ].join('\n\n');
    expect(mirrorFrom([deb822])).toBe('http://mirror.example/debian');
    const oneLine =
      'deb http://x.example/debian bookworm-updates main\ndeb [arch=amd64] http://y.example/debian bookworm main\n';
    expect(mirrorFrom(['deb https://other.example/apt cloud-sdk main\n', oneLine])).toBe(
      'http://y.example/debian',
    );
    expect(mirrorFrom([])).toBe('http://deb.debian.org/debian');
  });
});
