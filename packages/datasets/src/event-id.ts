import { DatasetError } from './errors.js';
import { option } from './errors.js';

/**
 * The stable id of row `index` of stream `streamName`: the name, a dash, and the index padded to
 * six digits (longer indices keep all their digits). A row's event and its label carry the same id,
 * which is how the joiner pairs them; the padding keeps ids of one stream sorting in row order up
 * to a million rows.
 *
 * @example
 * ```ts
 * eventId('sea', 123); // => "sea-000123"
 * eventId('elec2', 1234567); // => "elec2-1234567"
 * ```
 */
export function eventId(streamName: string, index: number): string {
  if (typeof streamName !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(streamName)) {
    throw new DatasetError(
      'DW_DATASET_INVALID_OPTION',
      `stream name must be letters, digits, '.', '_' or '-' (not starting with one of the last three), got ${JSON.stringify(streamName)}`,
    );
  }
  option.nonNegativeInteger(index, 'index');
  return `${streamName}-${String(index).padStart(6, '0')}`;
}
