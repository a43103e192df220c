// The terminal chat. Interactive: a prompt. Piped: reads every line in order, waits for the backtests
// they started to finish, prints their results and resolves, so a script can drive the bot.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { userChartDir } from '../../src/core/chart-files.ts';
import type { Conversation } from '../../src/core/conversation.ts';
import {
  type Button,
  type ChatAddress,
  type OutgoingMessage,
  PROGRESS_RANK as RANK,
} from '../../src/core/types.ts';
import type { ChatSink } from '../../src/notifier.ts';
import { createPasteCollector, lineToEvent } from './inbound.ts';
import { renderMessage } from './render.ts';

export const CONSOLE_PLATFORM = 'console';

export type ConsoleAdapter = ChatSink & { run(): Promise<void> };

export const PROMPT = 'you> ';

export function createConsoleAdapter(deps: {
  conversation: Conversation;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
  /** Where chart images are saved, in a folder per user (see chart-files.ts); the console prints their path. */
  imageDir: string;
  /** Columns a card may take, read at each message (a terminal can be resized); 100 when absent. */
  width?: () => number;
}): ConsoleAdapter {
  const user = os.userInfo().username || 'trader';
  const address: ChatAddress = {
    platform: CONSOLE_PLATFORM,
    conversationId: `console-${user}`,
    userId: user,
  };
  const sender = { platformUserId: user, displayName: user };
  const chartDir = userChartDir(deps.imageDir, user);
  let lastButtons: readonly Button[] = [];
  // Highest state seen per backtest: a fast job can report "running" before the "queued" reply prints.
  const seen = new Map<string, number>();
  let settle: (() => void) | undefined;
  let rl: readline.Interface | undefined;
  const pendingCount = () => [...seen.values()].filter((r) => r < 2).length;

  const saveImage = (msg: OutgoingMessage): OutgoingMessage => {
    const image = msg.card?.image;
    if (!msg.card || !image) return msg;
    mkdirSync(chartDir, { recursive: true });
    const file = path.join(chartDir, path.basename(image.filename));
    writeFileSync(file, image.data);
    return { ...msg, card: { ...msg.card, image: { ...image, path: file } } };
  };

  // A card's file that no "Show code" button prints (an optimisation's diff) is saved beside the charts.
  const saveCode = (msg: OutgoingMessage): string | undefined => {
    if (!msg.card || !msg.code || msg.buttons?.some((b) => b.label === 'Show code')) return undefined;
    mkdirSync(chartDir, { recursive: true });
    const file = path.join(chartDir, path.basename(msg.code.filename));
    writeFileSync(file, msg.code.content);
    return file;
  };

  const print = (raw: OutgoingMessage) => {
    const msg = saveImage(raw);
    const codePath = saveCode(msg);
    if (msg.progress) {
      const rank = RANK[msg.progress.state];
      if ((seen.get(msg.progress.key) ?? -1) > rank) return;
      seen.set(msg.progress.key, rank);
    }
    deps.output.write(
      `${renderMessage(msg, { showCode: !msg.card, width: deps.width?.(), ...(codePath ? { codePath } : {}) })}\n`,
    );
    // A number picks from the newest message's buttons, numbered as printed (disabled ones too); after
    // a message with nothing to press (a form question), a number is an answer.
    lastButtons = msg.buttons?.some((b) => !b.disabled) ? msg.buttons : [];
    if (pendingCount() === 0) settle?.();
  };

  return {
    async deliver(_address, message) {
      // A job result arriving while the user types: print it above a fresh prompt.
      if (deps.interactive && rl) {
        readline.clearLine(deps.output, 0);
        readline.cursorTo(deps.output, 0);
      }
      print(message);
      if (deps.interactive) rl?.prompt(true);
      return { messageId: String(Date.now()) };
    },
    async run() {
      rl = readline.createInterface({
        input: deps.input,
        output: deps.interactive ? deps.output : undefined,
        terminal: deps.interactive,
      });
      rl.setPrompt(PROMPT);
      if (deps.interactive)
        deps.output.write('GenTrade console. Type /help, or describe a strategy. Ctrl+D quits.\n');
      if (deps.interactive) rl.prompt();
      const paste = createPasteCollector();
      for await (const typed of rl) {
        const line = paste(typed);
        if (line === null) continue; // inside a ``` block: the message is the whole block
        const picked = lineToEvent(line, { address, sender }, lastButtons);
        // Piped lines are echoed, as a terminal shows what was typed, before their answer.
        if (!deps.interactive && picked.kind !== 'none') deps.output.write(`${PROMPT}${line.trim()}\n`);
        if (picked.kind === 'local') deps.output.write(`${picked.text}\n`);
        else if (picked.kind === 'event') {
          for (const msg of await deps.conversation.handle(picked.event)) print(msg);
        }
        if (deps.interactive) rl.prompt();
      }
      if (pendingCount() > 0) {
        deps.output.write(`Waiting for ${pendingCount()} backtest(s) to finish...\n`);
        await new Promise<void>((resolve) => {
          settle = resolve;
        });
      }
    },
  };
}
