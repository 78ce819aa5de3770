/**
 * `a, b, c` — or, past `max` items, the first `max` and how many more: a refusal stays one
 * readable line even for a model with hundreds of features.
 */
export function formatList(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, … (${items.length - max} more)`;
}
