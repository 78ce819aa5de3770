const counts = new Intl.NumberFormat('en-US');

/** A ratio as a percentage with one decimal: 0.2433 → "24.3%". */
export function percent(ratio: number): string {
  return `${(100 * ratio).toFixed(1)}%`;
}

/** A count with thousands separators: 12000 → "12,000". */
export function count(value: number): string {
  return counts.format(value);
}
