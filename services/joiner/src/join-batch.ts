import {
  deadLetterMessage,
  recordCoordinate,
  untilCommitted,
  type BatchHandler,
  type InputRecord,
  type OutputMessage,
} from '@driftwatch/bus';
import {
  DecodeError,
  labelClassName,
  predictionClasses,
  type Codec,
  type DeadLetter,
  type DeadLetterCode,
  type LabelEvent,
  type LabeledPrediction,
  type Prediction,
  type TopicNames,
} from '@driftwatch/topics';

import type { JoinerDiagnostics } from './diagnostics.js';
import type { JoinInput, RedisJoinStore } from './join-store.js';

export interface JoinHandlerDependencies {
  names: Pick<TopicNames, 'predictions' | 'labels' | 'predictionsLabeled' | 'deadLetter'>;
  codecs: {
    predictions: Codec<Prediction>;
    labels: Codec<LabelEvent>;
    predictionsLabeled: Codec<LabeledPrediction>;
    deadLetter: Codec<DeadLetter>;
  };
  store: Pick<RedisJoinStore, 'apply'>;
  now: () => number;
  diagnostics: JoinerDiagnostics;
}

/** A label as the join state keeps it: the event, and where it was read (for a dead letter). */
export interface StoredLabel extends LabelEvent {
  /** `topic/partition@offset` of the label record; absent in state written before it was kept. */
  source?: string;
}

/**
 * The joined record, built only from what Redis stored, so a replay builds the same bytes; or,
 * when the label names none of the scoring version's classes, why not. A label matches a class by
 * name, an integer label the class named by its digits (1 is "1").
 *
 * The prediction itself becomes the joined record, its three fields added: the caller parsed it
 * for this call. A copy (`{ ...prediction }`) of an object from JSON.parse took 3.5 µs in a
 * scratch loop, more than the parse itself: 4% of the joiner's CPU.
 */
export function joinedRecord(
  prediction: Prediction,
  label: LabelEvent,
): { joined: LabeledPrediction } | { unknownClass: string } {
  const classes = predictionClasses(prediction);
  const index = classes.indexOf(labelClassName(label.label));
  if (index < 0) {
    return {
      unknownClass: `label ${JSON.stringify(label.label)} of ${label.model} event ${label.id} is not one of the classes of v${prediction.modelVersion}: ${classes.map((name) => JSON.stringify(name)).join(', ')}`,
    };
  }
  return {
    joined: Object.assign(prediction, {
      label: index,
      labelTs: label.ts,
      labelDelayMs: label.ts - prediction.ts,
    }),
  };
}

/** Reads back the `topic/partition@offset` a stored label came from. */
function parseSource(source: string): { topic: string; partition: number; offset: string } {
  const match = /^(.*)\/(\d+)@(\d+)$/.exec(source);
  return match
    ? { topic: match[1] ?? '', partition: Number(match[2]), offset: match[3] ?? '0' }
    : { topic: source, partition: 0, offset: '0' };
}

/**
 * Joins a batch of predictions and/or labels against the state in Redis. Each record is one
 * transition of its (model, id) pair; a pair emits one joined record, once, whichever half comes
 * second. Malformed records go to the dead-letter topic.
 */
export function createJoinHandler(deps: JoinHandlerDependencies): BatchHandler {
  const { names, codecs } = deps;
  return async ({ records }, context) => {
    const diagnostics = untilCommitted(deps.diagnostics, context);
    const now = deps.now();
    const outputs: OutputMessage[] = [];
    const inputs: JoinInput[] = [];
    const deadLetter = async (
      record: InputRecord,
      code: DeadLetterCode,
      reason: string,
    ): Promise<void> => {
      diagnostics.deadLettered(code);
      outputs.push(
        await deadLetterMessage({
          service: 'joiner',
          record,
          why: { code, reason },
          deadLetterTopic: names.deadLetter,
          codec: codecs.deadLetter,
          now,
        }),
      );
    };

    for (const record of records) {
      try {
        const coordinate = recordCoordinate(record);
        if (record.topic === names.predictions) {
          // Stored as the record's own JSON where the codec took it as it was: 2.5 µs a
          // prediction of stringifying (a scratch loop) that the joined record parses back anyway.
          const { message: prediction, json } = await codecs.predictions.decodeWithJson(
            record.value,
          );
          inputs.push({
            side: 'prediction',
            model: prediction.model,
            id: prediction.id,
            payload: json,
            coordinate,
          });
        } else {
          const label = await codecs.labels.decode(record.value);
          inputs.push({
            side: 'label',
            model: label.model,
            id: label.id,
            // The decoded label is this record's own: kept with its source, not copied.
            payload: JSON.stringify(
              Object.assign(label, { source: coordinate }) satisfies StoredLabel,
            ),
            coordinate,
          });
        }
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        await deadLetter(record, error.code, error.message);
      }
    }

    const outcomes = await deps.store.apply(inputs, now);
    for (const [index, outcome] of outcomes.entries()) {
      const input = inputs[index];
      if (!input) continue;
      diagnostics.transition(input.side, outcome.effect);
      if (outcome.effect !== 'emit' || !outcome.predictionJson || !outcome.labelJson) continue;
      const label = JSON.parse(outcome.labelJson) as StoredLabel;
      const result = joinedRecord(JSON.parse(outcome.predictionJson) as Prediction, label);
      if ('unknownClass' in result) {
        // The label's own record may be long committed (it came first): the letter carries the
        // label as the join state kept it, re-encoded, at its original coordinates.
        const { source, ...labelEvent } = label;
        const at = parseSource(source ?? `${names.labels}/0@0`);
        await deadLetter(
          {
            ...at,
            key: Buffer.from(label.id),
            value: Buffer.from(await codecs.labels.encode(labelEvent)),
            timestamp: String(label.ts),
            headers: {},
          },
          'DW_UNKNOWN_CLASS',
          result.unknownClass,
        );
        continue;
      }
      const { joined } = result;
      diagnostics.joined(joined.model, joined.labelDelayMs);
      outputs.push({
        topic: names.predictionsLabeled,
        key: joined.model,
        value: await codecs.predictionsLabeled.encode(joined),
      });
    }
    return outputs;
  };
}
