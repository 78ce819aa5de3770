import { DriftwatchError, optionChecks } from '@driftwatch/errors';

/**
 * - `DW_DATASET_INVALID_OPTION`: an option is missing, out of range or of the wrong kind.
 * - `DW_DATASET_NOT_FOUND`: a dataset file is not where the caller said (it is not bundled).
 * - `DW_DATASET_UNREADABLE`: the file is there but could not be read (a directory, permissions).
 * - `DW_DATASET_FORMAT`: the file was read but is not the dataset: header, value or label wrong.
 */
export type DatasetErrorCode =
  | 'DW_DATASET_INVALID_OPTION'
  | 'DW_DATASET_NOT_FOUND'
  | 'DW_DATASET_UNREADABLE'
  | 'DW_DATASET_FORMAT';

/** Where in a dataset file a problem is: the file, its 1-based line, the column's name. */
export interface DatasetErrorLocation {
  readonly path?: string;
  readonly line?: number;
  readonly column?: string;
}

/** The one error type this package throws. None is retriable: the same input fails the same way. */
export class DatasetError extends DriftwatchError<DatasetErrorCode> {
  override readonly name = 'DatasetError';
  readonly path: string | undefined;
  readonly line: number | undefined;
  readonly column: string | undefined;

  constructor(
    code: DatasetErrorCode,
    message: string,
    options: DatasetErrorLocation & { cause?: unknown } = {},
  ) {
    super(code, message, 'cause' in options ? { cause: options.cause } : {});
    this.path = options.path;
    this.line = options.line;
    this.column = options.column;
  }
}

/** This package's option checks: each throws `DW_DATASET_INVALID_OPTION`. */
export const option = optionChecks(
  (message) => new DatasetError('DW_DATASET_INVALID_OPTION', message),
);
