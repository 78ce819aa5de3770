/**
 * At most `count` of `rows`, spread evenly over them from the first: deterministic, and covering
 * the whole range. What a reference keeps of a long training window.
 */
export function evenRows<Row>(rows: readonly Row[], count: number): Row[] {
  if (count <= 0 || rows.length === 0) return [];
  const step = Math.max(1, rows.length / count);
  const picked: Row[] = [];
  for (let position = 0; position < rows.length && picked.length < count; position += step) {
    picked.push(rows[Math.floor(position)] as Row);
  }
  return picked;
}
