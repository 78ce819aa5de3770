/**
 * - `DW_REPORT_BAD_OPTION`: an option of {@link computeModelReport} is out of range.
 * - `DW_REPORT_NO_PREDICTIONS`: nothing to report: no labeled prediction of the model in range.
 * - `DW_REPORT_NO_CHART_LIBRARY`: the bundled chart library's files cannot be read.
 */
export type ReportErrorCode =
  'DW_REPORT_BAD_OPTION' | 'DW_REPORT_NO_PREDICTIONS' | 'DW_REPORT_NO_CHART_LIBRARY';

/** A report that cannot be made. Never retriable: the same records fail the same way. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  readonly code: ReportErrorCode;
  readonly retriable = false;

  constructor(code: ReportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
