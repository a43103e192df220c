// Finds Freqtrade strategy code in a chat message: a fenced code block (```python … ``` or a bare
// ``` … ``` that reads as Python), or a whole pasted file defining `class X(IStrategy)`. Pure text
// work; whether the code is acceptable is the validation pipeline's call, not this file's.

/** `class Name(...IStrategy...)`: the shape that makes a paste a strategy. */
const STRATEGY_CLASS = /^[ \t]*class[ \t]+([A-Za-z_]\w*)[ \t]*\(([^)]*)\)[ \t]*:/m;
// A language tag only counts when the line ends after it: Slack sends "```from x import y" inline.
const FENCE = /```(?:[ \t]*([A-Za-z0-9_+-]+)[ \t]*\r?\n|[ \t]*\r?\n?)([\s\S]*?)```/g;
const PYTHONISH = /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import|import[ \t]+\w|class[ \t]+\w+|def[ \t]+\w+)/m;
/** Lines a Python file may start with: where a pasted file begins after the trader's own words. */
const FILE_START = /^(?:#|from[ \t]|import[ \t]|class[ \t]|@|"""|'''|def[ \t])/;

export type ExtractedCode = {
  code: string;
  /** The message without the code: where a trader names pairs ("import this for ETH and SOL"). */
  prose: string;
};

const definesStrategy = (code: string): boolean => strategyClassOf(code) !== null;

/** The class name the code declares for its strategy, read statically (the engine's verdict wins). */
export function strategyClassOf(code: string): string | null {
  const re = new RegExp(STRATEGY_CLASS.source, 'gm');
  for (const m of code.matchAll(re)) if (m[2] && /\bIStrategy\b/.test(m[2])) return m[1] ?? null;
  return null;
}

/** `timeframe = "1h"` in the class body, read statically: the fallback when the verdict has none. */
export function staticTimeframe(code: string): string | null {
  return /^[ \t]+timeframe[ \t]*(?::[ \t]*str[ \t]*)?=[ \t]*["']([0-9]+[mhdwM])["']/m.exec(code)?.[1] ?? null;
}

/**
 * The strategy code in `text`, or null when the message holds none. A fenced block counts when it is
 * labelled python/py, or unlabelled and reads as Python; of several, the one defining a strategy class
 * wins. Without fences, text defining `class X(IStrategy)` counts from its first line of Python.
 */
export function extractStrategyCode(text: string): ExtractedCode | null {
  const blocks = [...text.matchAll(FENCE)].map((m) => ({
    lang: (m[1] ?? '').toLowerCase(),
    body: m[2] ?? '',
    raw: m[0],
  }));
  const python = blocks.filter(
    (b) =>
      b.lang === 'python' ||
      b.lang === 'py' ||
      b.lang === 'python3' ||
      (b.lang === '' && PYTHONISH.test(b.body)),
  );
  if (python.length > 0) {
    const chosen = python.find((b) => definesStrategy(b.body)) ?? python[0];
    if (!chosen) return null;
    return { code: trimCode(chosen.body), prose: text.replace(chosen.raw, ' ').trim() };
  }
  if (blocks.length > 0 || !definesStrategy(text)) return null;
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => FILE_START.test(l));
  const from = Math.max(start, 0);
  return { code: trimCode(lines.slice(from).join('\n')), prose: lines.slice(0, from).join('\n').trim() };
}

function trimCode(code: string): string {
  // Blank lines around the block go; indentation of the first line stays (Python cares).
  return `${code.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd()}\n`;
}

/** "BollingerMfiInformative" -> "Bollinger Mfi Informative", for a kebab-case strategy name. */
export function splitClassName(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/_/g, ' ');
}
