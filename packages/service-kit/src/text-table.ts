import Table from 'cli-table3';

/** No borders and no padding; columns two spaces apart. */
const borderless = {
  chars: {
    top: '',
    'top-mid': '',
    'top-left': '',
    'top-right': '',
    bottom: '',
    'bottom-mid': '',
    'bottom-left': '',
    'bottom-right': '',
    left: '',
    'left-mid': '',
    mid: '',
    'mid-mid': '',
    right: '',
    'right-mid': '',
    middle: '  ',
  },
  style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
};

/**
 * Rows of cells as the lines of a borderless table (cli-table3's layout): each column as wide as
 * its widest cell, columns two spaces apart, no trailing spaces, no colours — for status screens
 * and listings a person reads in a terminal or a pipe alike. A short row is padded with empty
 * cells; `head`, when given, is the first line.
 *
 * @example
 * ```ts
 * textTable([['events', '3'], ['model-versions', '1']]); // => ["events          3","model-versions  1"]
 * ```
 */
export function textTable(
  rows: readonly (readonly string[])[],
  options: { head?: readonly string[] } = {},
): string[] {
  const width = Math.max(options.head?.length ?? 0, ...rows.map((row) => row.length));
  if (width === 0) return [];
  const full = (row: readonly string[]): string[] => [
    ...row,
    ...Array<string>(width - row.length).fill(''),
  ];
  const table = new Table({
    ...borderless,
    ...(options.head === undefined ? {} : { head: full(options.head) }),
  });
  table.push(...rows.map(full));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd());
}
