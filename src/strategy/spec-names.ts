// Names for stored strategies and the Python classes they render to: a kebab-case slug a trader can type,
// and a PascalCase identifier that can never shadow what the generated module imports.
import { AppError } from '../errors.ts';

const NAME_MAX = 48;

/**
 * Turns what a trader typed ("BTC SMA 20/50 (1h)") into the strategy's stored name: a lowercase
 * kebab-case slug of letters, digits and dashes, at most 48 characters, cut at a dash where possible.
 * Throws AppError BAD_INPUT when nothing usable is left.
 */
export function normalizeStrategyName(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '') {
    throw new AppError(
      'BAD_INPUT',
      'A strategy name needs at least one letter or digit, for example btc-sma-20-50-1h.',
    );
  }
  if (slug.length <= NAME_MAX) return slug;
  const cut = slug.slice(0, NAME_MAX + 1);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 0 ? cut.slice(0, lastDash) : slug.slice(0, NAME_MAX)).replace(/-+$/, '');
}

// Names the generated module already uses, plus Python constants a PascalCase word could spell.
/** Names a generated class must not take: they would shadow what the strategy module imports. */
export const TAKEN_CLASS_NAMES: ReadonlySet<string> = new Set([
  'IStrategy',
  'DataFrame',
  'Series',
  'None',
  'True',
  'False',
]);

/**
 * The Python class name Freqtrade loads for a strategy name: PascalCase of its letter/digit runs,
 * e.g. "btc-sma-20-50-1h" -> "BtcSma20501h". Always a valid identifier starting with a capital letter;
 * names that start with a digit get a "Strategy" prefix, names that would shadow an import a suffix.
 */
export function strategyClassName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
  const named = /^[A-Z]/.test(joined) ? joined : `Strategy${joined}`;
  return TAKEN_CLASS_NAMES.has(named) ? `${named}Strategy` : named;
}
