import type { InputRecord } from '@driftwatch/bus';
import {
  DecodeError,
  type Codec,
  type LabeledPrediction,
  type RetrainRequest,
} from '@driftwatch/topics';

/** A window's bounds by offset in its model's partition (see `RetrainRequest.labeledOffsets`). */
export type LabeledOffsets = NonNullable<RetrainRequest['labeledOffsets']>;

/** Reads a model's labeled window: written in `[fromTs, toTs]`, and within `offsets` if given. */
export type ReadWindow = (
  model: string,
  fromTs: number,
  toTs: number,
  offsets?: LabeledOffsets | null,
) => Promise<LabeledPrediction[]>;

/** Reads the records of `predictions-labeled` written in `[fromTs, toTs]` that `keep` accepts. */
export type ReadRecordsInRange = (
  fromTs: number,
  toTs: number,
  keep: (record: InputRecord) => boolean,
) => Promise<InputRecord[]>;

/**
 * The trainer's view of a model's labeled window: `predictions-labeled` is keyed by model, so
 * other models' records are skipped before they are decoded; so are records of the model's
 * partition outside `offsets`, which bound the window to the record where timestamps, shared by
 * a batch, bound it only to the batch. A record that does not decode is not training data (the
 * detector dead-letters it), so it is left out rather than failing the request.
 */
export function readTrainingWindow(deps: {
  readRecords: ReadRecordsInRange;
  codec: Codec<LabeledPrediction>;
}): ReadWindow {
  return async (model, fromTs, toTs, offsets) => {
    const records = await deps.readRecords(
      fromTs,
      toTs,
      (record) => record.key?.toString() === model && withinOffsets(record, offsets),
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

function withinOffsets(record: InputRecord, offsets: LabeledOffsets | null | undefined): boolean {
  if (!offsets || record.partition !== offsets.partition) return true;
  const offset = Number(record.offset);
  return offset >= (offsets.fromOffset ?? 0) && offset <= offsets.toOffset;
}
