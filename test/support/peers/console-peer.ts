// The console's "peer": the two streams a person at a terminal has. Lines go in on stdin; what the
// console writes to stdout is read back into PeerMessages the way a person reads the screen: numbered
// buttons `[1] Backtest`, a chart as the saved PNG's path, code as a block under its file name (the
// terminal's attachment). Each message is one write, so a write is where one message ends.
import { statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { PROMPT } from '../../../adapters/console/index.ts';
import type { PeerMessage } from '../../contract/adapter-contract.ts';

const BUTTONS = /^\[1\] /;
const BUTTON = /^\[(\d+)\] (.*?)( \(disabled\))?$/;
const CHART = /^\|\s+chart: (.+)$/;
const CODE_START = /^--- (\S+) ---$/;

/** Reads one printed message back; `undefined` for what isn't one (the echo of a piped line). */
function parse(id: string, printed: string): PeerMessage | undefined {
  if (printed.startsWith(PROMPT)) return undefined;
  const lines = printed.replace(/\n$/, '').split('\n');
  const last = lines.at(-1) ?? '';
  const buttons = BUTTONS.test(last)
    ? last.split(/ {3}(?=\[\d+\] )/).flatMap((b) => {
        const m = BUTTON.exec(b);
        return m?.[1] && m[2] !== undefined
          ? [{ label: m[2], payload: m[1], ...(m[3] ? { disabled: true } : {}) }]
          : [];
      })
    : [];
  if (buttons.length > 0) lines.pop();
  const images = lines.flatMap((l) => {
    const file = CHART.exec(l)?.[1];
    return file ? [{ filename: path.basename(file), bytes: statSync(file).size }] : [];
  });
  const files: PeerMessage['files'] = [];
  for (let i = 0; i < lines.length; i++) {
    const filename = CODE_START.exec(lines[i] ?? '')?.[1];
    const end = lines.indexOf('---', i + 1);
    if (!filename || end < 0) continue;
    files.push({ filename, bytes: Buffer.byteLength(lines.slice(i + 1, end).join('\n')) });
    i = end;
  }
  return { id, chatId: 'console', text: lines.join('\n'), buttons, edits: 0, images, files };
}

export function createConsolePeer() {
  const printed: string[] = [];
  const input = new PassThrough();
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      printed.push(chunk.toString('utf8'));
      done();
    },
  });
  const messages = () =>
    printed.flatMap((p, i) => {
      const m = parse(`console:${i}`, p);
      return m ? [m] : [];
    });
  return {
    input,
    output,
    messages,
    type(line: string) {
      input.write(`${line}\n`);
    },
    /** Types the number of the button labelled `label`; a terminal offers only the newest message's. */
    press(messageId: string, label: string) {
      const newest = messages().at(-1);
      if (newest?.id !== messageId)
        throw new Error(`message ${messageId} is not the newest, so its buttons can't be pressed`);
      const button = newest.buttons.find((b) => b.label === label);
      if (!button) throw new Error(`no button "${label}" on message ${messageId}`);
      input.write(`${button.payload}\n`);
    },
    /** Ends stdin, as Ctrl+D does. */
    close() {
      input.end();
    },
  };
}

export type ConsolePeer = ReturnType<typeof createConsolePeer>;
