const counts = new Intl.NumberFormat('en-US');

/** A ratio as a percentage with one decimal: 0.2433 → "24.3%". */
export function percent(ratio: number): string {
  return `${(100 * ratio).toFixed(1)}%`;
}

/** A count with thousands separators: 12000 → "12,000". */
export function count(value: number): string {
  return counts.format(value);
}

/**
 * What a calibrated rule's alert says about its budget: ", calibrated to one false alarm every
 * 52,000 labeled predictions" (rounded to two significant digits: it is a simulated estimate).
 */
export function budgetNote(expectedRunLength: number, events: string, separator = ','): string {
  const every = count(Number(expectedRunLength.toPrecision(2)));
  return `${separator} calibrated to one false alarm every ${every} ${events} of an unchanged stream`;
}

/** A threshold or a detector's parameter in three significant digits: 0.00016540236 → "0.000165". */
export function threeSignificant(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
