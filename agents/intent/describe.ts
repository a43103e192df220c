// A tool call in a few words, for telling the user which of the things asked for in one message were
// not done ("backtest it over last 6 months"), so nothing the model was asked to do disappears silently.
import type { ToolIntent } from './schema.ts';

const quoted = (text: string) => `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;

export function describeIntent(intent: ToolIntent): string {
  const it = (name: string | null) => name ?? 'it';
  switch (intent.tool) {
    case 'create_strategy':
      return `create the strategy ${quoted(intent.args.description)}`;
    case 'edit_strategy':
      return `change ${it(intent.args.name)} (${quoted(intent.args.change)})`;
    case 'show_strategy':
      return `show ${it(intent.args.name)}`;
    case 'explain_result':
      return `explain the result of ${it(intent.args.name)}`;
    case 'backtest_strategy': {
      const when = intent.args.timerange ? ` over ${quoted(intent.args.timerange)}` : '';
      const on = intent.args.pairs?.length ? ` on ${intent.args.pairs.join(', ')}` : '';
      return `backtest ${it(intent.args.name)}${when}${on}`;
    }
    case 'compare_strategies':
      return `compare ${it(intent.args.first)} with ${intent.args.second ?? 'another strategy'}`;
    case 'list_strategies':
      return 'list your strategies';
    case 'delete_strategy':
      return `delete ${it(intent.args.name)}`;
    case 'help':
      return 'show the help';
  }
}
