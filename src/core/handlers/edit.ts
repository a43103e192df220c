// The strategy edit form: timeframe, indicator parameters, stop-loss, take profit and pairs. Shown as
// a modal where the platform has forms, asked field by field elsewhere; saved as a new version.
import { AppError } from '../../errors.ts';
import { isCustom } from '../../services/strategy-docs.ts';
import type { StrategyDoc } from '../../storage/models.ts';
import { applyParams, formatParams } from '../../strategy/edit-params.ts';
import { ROI_OFF_RATIO, type StrategySpec } from '../../strategy/spec.ts';
import { encodeAction } from '../actions.ts';
import { strategyMessage } from '../cards.ts';
import type { Form, OutgoingMessage } from '../types.ts';
import type { HandlerCtx, HandlerDeps } from './deps.ts';
import { view } from './strategies.ts';

const pctText = (ratio: number) => String(Number((Math.abs(ratio) * 100).toFixed(4)));

function editForm(doc: StrategyDoc, spec: StrategySpec): Form {
  const roi = spec.minimalRoi['0'];
  return {
    title: `Edit ${doc.name}`.slice(0, 45),
    submit: encodeAction({ name: 'editSubmit', strategyId: doc._id.toString() }),
    fields: [
      { key: 'timeframe', label: 'Timeframe (1m to 1w, e.g. 5m, 1h, 4h, 1d)', value: spec.timeframe },
      { key: 'params', label: 'Indicator parameters', value: formatParams(spec) },
      { key: 'stoploss', label: 'Stop-loss %', value: pctText(spec.stoploss), percent: true },
      {
        key: 'roi',
        label: 'Take profit % (empty: none)',
        percent: true,
        value: roi === undefined || roi >= ROI_OFF_RATIO ? '' : pctText(roi),
      },
      { key: 'pairs', label: 'Pairs (comma separated)', value: spec.pairs.join(', ') },
    ],
  };
}

/** The edit form, or for custom code (which has no spec to fill in) how to change it instead. */
export function editMessage(deps: HandlerDeps, doc: StrategyDoc): OutgoingMessage {
  if (isCustom(doc)) {
    return {
      text: `${doc.name} is custom Freqtrade code (class ${doc.className}), so there is no form to edit. To change it, paste the new version here as a \`\`\`python code block or a .py file; I check it and ask before replacing v${doc.version}.`,
    };
  }
  return { text: `Editing ${doc.name}`, form: editForm(doc, deps.strategies.specOf(doc)) };
}

function percent(label: string, text: string): number {
  const n = Number(text.replace('%', '').trim());
  if (!Number.isFinite(n) || n <= 0 || n >= 100) {
    throw new AppError('BAD_INPUT', `${label} must be a percentage between 0 and 100, got "${text}".`);
  }
  return n / 100;
}

/**
 * Builds the edited spec from the form's text values; empty fields keep their value. The result is
 * a candidate: the strategy service validates it like any other spec.
 */
function specFromForm(spec: StrategySpec, values: Record<string, string>): Record<string, unknown> {
  const v = (k: string) => values[k]?.trim();
  const params = v('params');
  const next: Record<string, unknown> = {
    ...(params && params !== formatParams(spec) ? applyParams(spec, params) : spec),
  };
  const timeframe = v('timeframe');
  if (timeframe) next.timeframe = timeframe.toLowerCase();
  const stop = v('stoploss');
  if (stop) next.stoploss = -percent('Stop-loss', stop);
  const roi = values.roi?.trim();
  if (roi !== undefined)
    next.minimalRoi = roi === '' ? { '0': ROI_OFF_RATIO } : { '0': percent('Take profit', roi) };
  const pairs = v('pairs');
  if (pairs)
    next.pairs = pairs
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((p) => p.toUpperCase());
  return next;
}

export async function applyEdit(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  strategyId: string,
  values: Record<string, string>,
): Promise<OutgoingMessage[]> {
  const doc = await deps.strategies.getById(ctx.ownerId, strategyId);
  const spec = specFromForm(deps.strategies.specOf(doc), values);
  const updated = await deps.strategies.update(ctx.ownerId, strategyId, spec);
  const msg = strategyMessage(view(updated, deps.strategies));
  msg.text = `Saved ${updated.name} as version ${updated.version}.`;
  return [msg];
}
