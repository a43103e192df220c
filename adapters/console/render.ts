// Renders neutral messages as plain terminal text: cards as aligned fields, buttons as numbered choices.
import type { OutgoingMessage } from '../../src/core/types.ts';

const STATE_LABEL = {
  queued: 'queued',
  running: 'running',
  succeeded: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;

/**
 * Terminal columns a card line may take before it wraps (a line the terminal wraps leaves the box) when
 * the terminal's own width is unknown; a narrower or wider one is kept within these bounds.
 */
const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 40;
const MAX_WIDTH = 160;

/** The width to render for: the terminal's columns (or $COLUMNS) when known, within bounds. */
export function consoleWidth(columns: number | undefined): number {
  if (columns === undefined || !Number.isFinite(columns) || columns <= 0) return DEFAULT_WIDTH;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.floor(columns)));
}

/** Splits `line` at spaces into pieces of at most `room` characters; a longer word stays whole. */
function wrap(line: string, room: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && current.length + 1 + word.length > room) {
      pieces.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  return [...pieces, current];
}

/**
 * A value inside the card's box: its first line after `first`, every further line (its own or a
 * wrapped one) after `rest`, so a value over several lines (the Signals) stays inside the box, lined
 * up with its field.
 */
function boxed(first: string, rest: string, value: string, width: number): string[] {
  const room = Math.max(20, width - rest.length);
  const lines = value.split('\n').flatMap((line) => wrap(line, room));
  return lines.map((line, i) => `${i === 0 ? first : rest}${line}`.trimEnd());
}

/** `codePath`: where the console saved a card's file that no button prints (an optimisation's diff). */
export function renderMessage(
  msg: OutgoingMessage,
  opts: { showCode: boolean; codePath?: string; width?: number },
): string {
  const out: string[] = [];
  const width = opts.width ?? DEFAULT_WIDTH;
  const prefix = msg.progress ? `[${STATE_LABEL[msg.progress.state]}] ` : '';
  out.push(`${prefix}${msg.text}`);
  if (msg.card) {
    const c = msg.card;
    out.push(...boxed('+-- ', '|   ', c.title, width));
    if (c.description) out.push(...boxed('|   ', '|   ', c.description, width));
    const names = Math.max(0, ...c.fields.map((f) => f.name.length));
    // Long field names (a robustness report's "Walk-forward: 5 windows, ...") would push every value
    // to the edge: then each name has a line of its own, its value indented under it.
    const stacked = names > width / 3;
    for (const f of c.fields) {
      if (stacked)
        out.push(...boxed('|   ', '|   ', f.name, width), ...boxed('|     ', '|     ', f.value, width));
      else out.push(...boxed(`|   ${f.name.padEnd(names)}  `, `|   ${' '.repeat(names)}  `, f.value, width));
    }
    // A path is one word, kept whole on its line so it can be copied.
    if (c.image?.path) out.push(`|   chart: ${c.image.path}`);
    if (c.footer) out.push(...boxed('+-- ', '    ', c.footer, width));
    else out.push('+--');
  }
  if (msg.code) {
    const lines = msg.code.content.split('\n').length;
    if (opts.showCode) {
      out.push(`--- ${msg.code.filename} ---`, msg.code.content.trimEnd(), '---');
    } else if (opts.codePath) {
      out.push(`(${lines} lines of ${msg.code.language}, saved to ${opts.codePath})`);
    } else {
      out.push(`(${lines} lines of ${msg.code.language}; choose "Show code" to print it)`);
    }
  }
  if (msg.buttons?.length) {
    out.push(
      msg.buttons.map((b, i) => `[${i + 1}] ${b.label}${b.disabled ? ' (disabled)' : ''}`).join('   '),
    );
  }
  return out.join('\n');
}
