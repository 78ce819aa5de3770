import type { InputRecord } from '@driftwatch/bus';
import { DecodeError, type Codec, type LabeledPrediction } from '@driftwatch/topics';

/** Reads the records of `predictions-labeled` written in `[fromTs, toTs]` that `keep` accepts. */
export type ReadRecordsInRange = (
  fromTs: number,
  toTs: number,
  keep: (record: InputRecord) => boolean,
) => Promise<InputRecord[]>;

/**
 * The trainer's view of a model's labeled window: `predictions-labeled` is keyed by model, so
 * other models' records are skipped before they are decoded; a record that does not decode is
 * not training data (the detector dead-letters it), so it is left out rather than failing the
 * request.
 */
export function readTrainingWindow(deps: {
  readRecords: ReadRecordsInRange;
  codec: Codec<LabeledPrediction>;
}): (model: string, fromTs: number, toTs: number) => Promise<LabeledPrediction[]> {
  return async (model, fromTs, toTs) => {
    const records = await deps.readRecords(
      fromTs,
      toTs,
      (record) => record.key?.toString() === model,
    );
    const labeled: LabeledPrediction[] = [];
    for (const record of records) {
      try {
        labeled.push(await deps.codec.decode(record.value));
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
      }
    }
    return labeled;
  };
}
