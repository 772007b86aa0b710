/** Number formatting shared by the views and the exports. */

/** A fraction (0..1) as a percentage with precision that stays readable for MRD levels. */
export function formatPercent(value: number): string {
  if (value <= 0) return "–";
  const percent = value * 100;
  if (percent >= 10) return `${percent.toFixed(1)}%`;
  if (percent >= 1) return `${percent.toFixed(2)}%`;
  return `${percent.toPrecision(2)}%`;
}

/** One formatter for every count: `toLocaleString` builds a new one at each call (slow in lists). */
const COUNT = new Intl.NumberFormat("en-US");

/**
 * Natural order of names ("IGHV2" before "IGHV10"), as `localeCompare(b, "en", { numeric: true })`
 * gives, from one collator: `localeCompare` with options builds a new one at each call, and a
 * sort of 10,000 clones by gene compares some 140,000 times.
 */
export const naturalCompare = new Intl.Collator("en", { numeric: true }).compare;

export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** Axis ticks are round numbers: no trailing zeros ("0.001%", "10%"). */
export function formatPercentTick(value: number): string {
  return `${Number((value * 100).toPrecision(2))}%`;
}
