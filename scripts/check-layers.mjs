// The layers of the house (README, "How it fits together"), checked on every import: a file may import
// only from its own layer and the layers it stands on, every source file belongs to a layer, nothing
// imports the tests, benchmarks or scripts, and no folder of the core forms an import loop. Run by `npm run check` and by the test suite; prints each import against the grain with why.
// Node built-ins only, so it runs before dependencies are installed.
//
// CLI: node scripts/check-layers.mjs [repoDir]   (exit 1 when an import breaks a rule)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Each layer: which files it holds (first match wins, most specific first), what it may import, and the
 * sentence printed when it imports something else.
 */
export const LAYERS = [
  {
    name: 'composition root',
    holds: ['src/app.ts', 'src/engine.ts', 'src/main.ts', 'src/platforms.ts', 'src/cli/'],
    may: '*',
  },
  {
    name: 'kernel',
    holds: [
      'src/config.ts',
      'src/config-env.ts',
      'src/config-clerk.ts',
      'src/errors.ts',
      'src/logger.ts',
      'src/trusted-proxies.ts',
    ],
    may: ['kernel'],
    why: 'the kernel (config, errors, logger) stands on nothing of ours',
  },
  {
    name: 'vocabulary',
    holds: ['src/strategy/', 'src/backtest/'],
    may: ['kernel', 'vocabulary'],
    why: 'the strategy language and the shared vocabulary stand on the kernel alone',
  },
  {
    name: 'core',
    holds: ['src/core/', 'src/services/', 'src/storage/', 'src/notifier.ts', 'src/delivery-errors.ts'],
    may: ['kernel', 'vocabulary', 'core'],
    why: 'the core reaches agents, jobs, adapters and Freqtrade only through ports the composition root fills in',
  },
  {
    name: 'web',
    holds: ['src/http/'],
    may: ['kernel', 'vocabulary', 'core', 'web'],
    why: 'the HTTP server translates requests for the core: it knows no platform, agent, job or Freqtrade',
  },
  {
    name: 'agents',
    holds: ['agents/'],
    may: ['kernel', 'vocabulary', 'core', 'agents'],
    why: 'the agent speaks Freqtrade only through the ports it is given (a renderer, a validator)',
  },
  {
    name: 'jobs',
    holds: ['jobs/'],
    may: ['kernel', 'vocabulary', 'core', 'freqtrade', 'jobs'],
    why: 'a job runs Freqtrade and reports through the notifier; it knows no platform or agent',
  },
  {
    name: 'adapters',
    holds: ['adapters/'],
    may: ['kernel', 'vocabulary', 'core', 'own adapter'],
    deny: ['src/services/', 'src/storage/'],
    why: 'an adapter translates only: it reaches the core through dispatch and the notifier, never storage or services, and never another platform',
  },
  {
    name: 'freqtrade',
    holds: ['freqtrade/'],
    may: ['kernel', 'vocabulary', 'freqtrade'],
    why: 'freqtrade/ is a leaf that speaks Freqtrade: it stands on the kernel and the strategy language only',
  },
];

const SOURCE_ROOTS = ['src', 'agents', 'jobs', 'adapters', 'freqtrade'];
// With comments gone, every relative specifier follows `from`, `import` (side effect or dynamic) or
// `require(`; the names between `import` and `from` play no part, so nothing in them can hide one.
const IMPORT = /\b(?:from|import|require)\s*\(?\s*['"`](\.{1,2}\/[^'"`]+)['"`]/g;
// A dynamic import whose path is computed can't be checked, so it is not allowed in the layers.
const COMPUTED_IMPORT = /\bimport\s*\(\s*(?!['"][^'"]*['"]\s*\))[^)\s]/;
const OUTSIDE = ['test/', 'bench/', 'scripts/', 'bin/'];

/** The source without its comments (a `//` inside a string such as a URL is kept). */
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[\s;,{}()])\/\/.*$/gm, '$1');
}

/** The layer holding a repo-relative path, or undefined for files outside the checked roots. */
export function layerOf(file) {
  return LAYERS.find((layer) => layer.holds.some((h) => (h.endsWith('/') ? file.startsWith(h) : file === h)));
}

function allowed(from, to, fromFile, toFile) {
  if (from.may === '*') return true;
  if (from.deny?.some((prefix) => toFile.startsWith(prefix))) return false;
  if (from.may.includes(to.name)) return true;
  // An adapter may import its own folder only.
  return (
    from.may.includes('own adapter') &&
    to.name === 'adapters' &&
    fromFile.split('/')[1] === toFile.split('/')[1]
  );
}

function sourceFiles(repo) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(repo, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.') && rel !== 'freqtrade/engine')
          walk(rel);
      } else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(rel);
    }
  };
  for (const root of SOURCE_ROOTS) {
    try {
      walk(root);
    } catch {
      // a root that does not exist has nothing to check
    }
  }
  return out.sort();
}

/** Repo-relative targets of a file's relative imports (type-only imports count: they tie the layers too). */
export function importsOf(file, text) {
  const targets = [];
  for (const match of withoutComments(text).matchAll(IMPORT)) {
    const spec = match[1];
    if (!spec) continue;
    // NodeNext lets "./x.js" name ./x.ts.
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    targets.push(target.replace(/\.js$/, '.ts'));
  }
  return targets;
}

/** Import cycles among the files under `prefix`, each as the list of files around it. */
function cyclesUnder(graph, prefix) {
  const cycles = [];
  const state = new Map();
  const stack = [];
  const visit = (file) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!next.startsWith(prefix) || !graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (file.startsWith(prefix) && !state.has(file)) visit(file);
  return cycles;
}

/** Folders that must hold no import loop. */
const ACYCLIC = ['src/'];

/** Every broken rule in the repo at `repo`, as sentences. */
export function checkLayers(repo) {
  const problems = [];
  const graph = new Map();
  for (const file of sourceFiles(repo)) {
    const text = readFileSync(path.join(repo, file), 'utf8');
    const targets = importsOf(file, text);
    graph.set(file, targets);
    const from = layerOf(file);
    if (!from) {
      problems.push(
        `${file} belongs to no layer: add it to LAYERS in scripts/check-layers.mjs, where it stands.`,
      );
      continue;
    }
    if (COMPUTED_IMPORT.test(withoutComments(text))) {
      problems.push(`${file} imports a computed path: the layers can only be checked on a string literal.`);
    }
    for (const target of targets) {
      if (OUTSIDE.some((prefix) => target.startsWith(prefix))) {
        problems.push(
          `${file} imports ${target}: the product never imports its tests, benchmarks or scripts.`,
        );
        continue;
      }
      const to = layerOf(target);
      if (!to || allowed(from, to, file, target)) continue;
      problems.push(`${file} imports ${target}: ${from.why}.`);
    }
  }
  for (const prefix of ACYCLIC) {
    for (const cycle of cyclesUnder(graph, prefix)) problems.push(`import loop: ${cycle.join(' -> ')}`);
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const repo = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const problems = checkLayers(repo);
  for (const p of problems) console.error(p);
  console.error(
    problems.length === 0 ? 'layers: ok' : `layers: ${problems.length} import(s) against the grain`,
  );
  process.exitCode = problems.length === 0 ? 0 : 1;
}
