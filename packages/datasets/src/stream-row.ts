/**
 * One row of any stream in this package: its position, its features by name, and its binary
 * label. Streams add their own extras (SEA: `concept`; ELEC2: `date`). There is no timestamp: a
 * stream is a sequence, and `deliverySchedule` decides when each row's event and label arrive.
 */
export interface StreamRow {
  /** 0-based position in the stream. */
  readonly index: number;
  readonly features: Readonly<Record<string, number>>;
  readonly label: 0 | 1;
}
