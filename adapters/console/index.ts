// The terminal chat. Interactive: a prompt. Piped: reads every line in order, waits for the backtests
// they started to finish, prints their results and resolves, so a script can drive the bot.
import os from 'node:os';
import readline from 'node:readline';
import type { Conversation } from '../../src/core/conversation.ts';
import type { ChatAddress, OutgoingMessage } from '../../src/core/types.ts';
import type { ChatSink } from '../../src/notifier.ts';
import { lineToEvent } from './inbound.ts';
import { renderMessage } from './render.ts';

export const CONSOLE_PLATFORM = 'console';

export type ConsoleAdapter = ChatSink & { run(): Promise<void> };

export function createConsoleAdapter(deps: {
  conversation: Conversation;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
}): ConsoleAdapter {
  const user = os.userInfo().username || 'trader';
  const address: ChatAddress = {
    platform: CONSOLE_PLATFORM,
    conversationId: `console-${user}`,
    userId: user,
  };
  const sender = { platformUserId: user, displayName: user };
  let lastButtons: string[] = [];
  const pending = new Set<string>();
  // A fast job can report "done" before the handler's "queued" reply is printed.
  const finished = new Set<string>();
  let settle: (() => void) | undefined;

  const print = (msg: OutgoingMessage) => {
    const showCode = !msg.card;
    deps.output.write(`${renderMessage(msg, { showCode })}\n`);
    if (msg.buttons?.length) lastButtons = msg.buttons.filter((b) => !b.disabled).map((b) => b.action);
    if (msg.progress) {
      const { key, state } = msg.progress;
      if (state === 'succeeded' || state === 'failed') {
        finished.add(key);
        pending.delete(key);
      } else if (!finished.has(key)) pending.add(key);
      if (pending.size === 0) settle?.();
    }
  };

  return {
    async deliver(_address, message) {
      print(message);
    },
    async run() {
      const rl = readline.createInterface({ input: deps.input, terminal: deps.interactive });
      const prompt = () => deps.interactive && deps.output.write('you> ');
      if (deps.interactive)
        deps.output.write('GenTrade console. Type /help, or describe a strategy. Ctrl+D quits.\n');
      prompt();
      for await (const line of rl) {
        const event = lineToEvent(line, { address, sender }, lastButtons);
        if (event) {
          if (!deps.interactive) deps.output.write(`> ${line.trim()}\n`);
          for (const msg of await deps.conversation.handle(event)) print(msg);
        }
        prompt();
      }
      if (pending.size > 0) {
        deps.output.write(`Waiting for ${pending.size} backtest(s) to finish...\n`);
        await new Promise<void>((resolve) => {
          settle = resolve;
        });
      }
    },
  };
}
