// Renders neutral messages as plain terminal text: cards as aligned fields, buttons as numbered choices.
import type { OutgoingMessage } from '../../src/core/types.ts';

const STATE_LABEL = { queued: 'queued', running: 'running', succeeded: 'done', failed: 'failed' } as const;

export function renderMessage(msg: OutgoingMessage, opts: { showCode: boolean }): string {
  const out: string[] = [];
  const prefix = msg.progress ? `[${STATE_LABEL[msg.progress.state]}] ` : '';
  out.push(`${prefix}${msg.text}`);
  if (msg.card) {
    const c = msg.card;
    out.push(`+-- ${c.title}`);
    if (c.description) out.push(`|   ${c.description}`);
    const width = Math.max(0, ...c.fields.map((f) => f.name.length));
    for (const f of c.fields) out.push(`|   ${f.name.padEnd(width)}  ${f.value}`);
    if (c.image?.path) out.push(`|   chart: ${c.image.path}`);
    if (c.footer) out.push(`+-- ${c.footer}`);
    else out.push('+--');
  }
  if (msg.code) {
    if (opts.showCode) {
      out.push(`--- ${msg.code.filename} ---`, msg.code.content.trimEnd(), '---');
    } else {
      out.push(
        `(${msg.code.content.split('\n').length} lines of ${msg.code.language}; choose "Show code" to print it)`,
      );
    }
  }
  if (msg.buttons?.length) {
    out.push(
      msg.buttons.map((b, i) => `[${i + 1}] ${b.label}${b.disabled ? ' (disabled)' : ''}`).join('   '),
    );
  }
  return out.join('\n');
}
