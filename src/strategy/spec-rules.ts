// The small schema makers that give each rule of the spec language its own sentence ("rsi period must
// be a whole number 2..200, got 0").
import { z } from 'zod';

/** A value as it appears in an error sentence, cut short so one bad field can't flood the message. */
export function show(input: unknown): string {
  if (input === undefined) return 'nothing';
  const text = typeof input === 'string' ? JSON.stringify(input) : (JSON.stringify(input) ?? String(input));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function oneOf<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, {
    error: (iss) => `${label} must be one of ${values.join(', ')}, got ${show(iss.input)}`,
  });
}

export function wholeNumber(label: string, min: number, max: number) {
  const error = (iss: { input?: unknown }) =>
    `${label} must be a whole number ${min}..${max}, got ${show(iss.input)}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** Any number in a range, e.g. a Bollinger width in standard deviations. */
export function numberIn(label: string, min: number, max: number) {
  const error = (iss: { input?: unknown }) =>
    `${label} must be a number ${min}..${max}, got ${show(iss.input)}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

export function ratio(label: string, min: number, max: number, example: string) {
  const error = (iss: { input?: unknown }) =>
    `${label} must be a ratio between ${min} and ${max} (${example}), got ${show(iss.input)}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

/** A finite number a condition compares against, e.g. an RSI level of 30. */
export function level(label: string) {
  const error = (iss: { input?: unknown }) => `${label} must be a number, got ${show(iss.input)}`;
  return z.number({ error });
}
