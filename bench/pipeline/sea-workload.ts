import { calibrateVersionAlarms } from '@driftwatch/alarms';
import { eventId, seaStream, type SeaConcept, type SeaRow } from '@driftwatch/datasets';
import { mulberry32 } from '@driftwatch/drift';
import type {
  AlarmCalibration,
  Codecs,
  FeatureEvent,
  LabelEvent,
  ModelVersion,
  Prediction,
} from '@driftwatch/topics';

import { readAlarmSettings } from '../../packages/cli/src/cli-config.js';
import { seaModelVersion } from '../../test/support/pipeline.js';

export interface KeyedMessage {
  key: string;
  value: Buffer;
}

/** Rows of one SEA concept (θ = 7, the concept `seaModelVersion` learns), or of `concept`. */
export function seaRows(options: {
  seed: number;
  length: number;
  concept?: Partial<SeaConcept>;
}): SeaRow[] {
  return [
    ...seaStream({
      seed: options.seed,
      length: options.length,
      concepts: [{ start: 0, threshold: 7, ...options.concept }],
    }),
  ];
}

let seaCalibration: AlarmCalibration | null | undefined;

/**
 * The SEA version `seaModelVersion` trains, as `driftwatch models register` and the trainer
 * publish it: calibrated to the false-alarm budget of a detector configured from this
 * environment, as the bench's services are. An uncalibrated version makes the detector simulate
 * its rules on its own loop when it first meets it (seconds of CPU), which a bench of per-event
 * cost must not count as per-event work. Calibrated once: it depends on the version's rows and
 * metrics, not on the model's name.
 */
export async function registeredSeaVersion(model: string): Promise<ModelVersion> {
  const version = await seaModelVersion({ model, version: 1 });
  if (seaCalibration === undefined) {
    const settings = readAlarmSettings();
    seaCalibration = settings && calibrateVersionAlarms(version, settings);
  }
  return seaCalibration ? { ...version, alarmCalibration: seaCalibration } : version;
}

/** Event and label of a row, as an application would produce them; the label 1 s later in event time. */
export function seaEvent(model: string, streamName: string, row: SeaRow, baseTs: number) {
  const id = eventId(streamName, row.index);
  const event: FeatureEvent = { id, model, ts: baseTs + row.index, features: row.features };
  const label: LabelEvent = { id, model, ts: event.ts + 1000, label: row.label };
  return { id, event, label };
}

export async function encodeEvents(
  codecs: Pick<Codecs, 'events'>,
  model: string,
  streamName: string,
  rows: readonly SeaRow[],
  baseTs: number,
): Promise<KeyedMessage[]> {
  return Promise.all(
    rows.map(async (row) => {
      const { id, event } = seaEvent(model, streamName, row, baseTs);
      return { key: id, value: await codecs.events.encode(event) };
    }),
  );
}

export async function encodeLabels(
  codecs: Pick<Codecs, 'labels'>,
  model: string,
  streamName: string,
  rows: readonly SeaRow[],
  baseTs: number,
): Promise<KeyedMessage[]> {
  return Promise.all(
    rows.map(async (row) => {
      const { id, label } = seaEvent(model, streamName, row, baseTs);
      return { key: id, value: await codecs.labels.encode(label) };
    }),
  );
}

/** The predictions inference would make of the rows (the noise-free SEA rule stands in for the model). */
export async function encodePredictions(
  codecs: Pick<Codecs, 'predictions'>,
  model: string,
  streamName: string,
  rows: readonly SeaRow[],
  baseTs: number,
): Promise<KeyedMessage[]> {
  return Promise.all(
    rows.map(async (row) => {
      const { id, event } = seaEvent(model, streamName, row, baseTs);
      const score = row.features.x1 + row.features.x2 <= 7 ? 0.8 : 0.2;
      const prediction: Prediction = {
        ...event,
        modelVersion: 1,
        scoredAt: event.ts + 5,
        score,
        predicted: score >= 0.5 ? 1 : 0,
      };
      return { key: id, value: await codecs.predictions.encode(prediction) };
    }),
  );
}

/** A seeded Fisher–Yates shuffle: labels arrive in another order than their predictions. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
