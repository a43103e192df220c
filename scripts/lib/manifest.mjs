// The bootstrap's hand-off: absolute paths to everything it prepared, read by the app's config
// and by test/support so nothing else has to know the cache layout.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './cache.mjs';

/** `<repo>/.gentrade/bootstrap.json` */
function manifestPath(repoDir) {
  return join(repoDir, '.gentrade', 'bootstrap.json');
}

/**
 * @param {string} repoDir
 * @param {{ ferretdbBin: string | null, python: string, engineDir: string, dataDir: string, marketsPath: string, freqtradeVersion: string }} manifest
 */
export function writeManifest(repoDir, manifest) {
  const path = manifestPath(repoDir);
  const content = `${JSON.stringify(manifest, null, 2)}\n`;
  // Unchanged manifests are left alone so file watchers don't restart anything on a cached run.
  if (!existsSync(path) || readFileSync(path, 'utf8') !== content) writeFileAtomic(path, content);
  return path;
}
