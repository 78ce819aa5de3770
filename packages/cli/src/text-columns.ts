/**
 * Rows of cells as lines with each column padded to its widest cell (the last column is not
 * padded, so lines carry no trailing spaces): a borderless table for status screens.
 *
 * @example
 * ```ts
 * textColumns([['events', '3'], ['model-versions', '1']]); // => ["events          3", "model-versions  1"]
 * ```
 */
export function textColumns(rows: readonly (readonly string[])[], gap = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join(gap)
      .trimEnd(),
  );
}
