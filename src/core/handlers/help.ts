// /help and the welcome: the command list, two suggestions to press, and on a machine without the OS
// sandbox a line saying what that means.
import { encodeAction } from '../actions.ts';
import { COMMANDS } from '../commands.ts';
import { sandboxHelpLine } from '../sandbox.ts';
import type { OutgoingMessage } from '../types.ts';
import type { HandlerDeps } from './deps.ts';

const SUGGESTIONS = [
  'Create a BTC SMA 20/50 cross strategy on 1h with a 5% stop',
  'Buy ETH when RSI(14) is below 30, sell above 70 on 4h',
];

/** The command list; on a machine without the OS sandbox, a line saying what that means. */
export function helpMessage(deps: Pick<HandlerDeps, 'sandbox'>, greeting?: string): OutgoingMessage {
  const lines = COMMANDS.map((c) => `/${c.name}${c.args ? ` ${c.args}` : ''} - ${c.description}`);
  const sandbox = sandboxHelpLine(deps.sandbox);
  return {
    text: [
      greeting ?? 'I turn trading ideas into Freqtrade strategies and backtest them.',
      '',
      ...lines,
      '',
      'Or just describe a strategy, for example: "BTC SMA 20/50 cross on 1h with a 5% stop".',
      ...(sandbox ? ['', sandbox] : []),
    ].join('\n'),
    buttons: SUGGESTIONS.map((text) => ({ label: text, action: encodeAction({ name: 'say', text }) })),
  };
}
