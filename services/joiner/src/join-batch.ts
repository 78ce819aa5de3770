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
  type Codec,
  type DeadLetter,
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

/** The joined record, built only from what Redis stored, so a replay builds the same bytes. */
export function joinedRecord(prediction: Prediction, label: LabelEvent): LabeledPrediction {
  return {
    ...prediction,
    label: label.label,
    labelTs: label.ts,
    labelDelayMs: label.ts - prediction.ts,
  };
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
    const deadLetter = async (record: InputRecord, error: DecodeError): Promise<void> => {
      diagnostics.deadLettered(error.code);
      outputs.push(
        await deadLetterMessage({
          service: 'joiner',
          record,
          why: { code: error.code, reason: error.message },
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
          const prediction = await codecs.predictions.decode(record.value);
          inputs.push({
            side: 'prediction',
            model: prediction.model,
            id: prediction.id,
            payload: JSON.stringify(prediction),
            coordinate,
          });
        } else {
          const label = await codecs.labels.decode(record.value);
          inputs.push({
            side: 'label',
            model: label.model,
            id: label.id,
            payload: JSON.stringify(label),
            coordinate,
          });
        }
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        await deadLetter(record, error);
      }
    }

    const outcomes = await deps.store.apply(inputs, now);
    for (const [index, outcome] of outcomes.entries()) {
      const input = inputs[index];
      if (!input) continue;
      diagnostics.transition(input.side, outcome.effect);
      if (outcome.effect !== 'emit' || !outcome.predictionJson || !outcome.labelJson) continue;
      const joined = joinedRecord(
        JSON.parse(outcome.predictionJson) as Prediction,
        JSON.parse(outcome.labelJson) as LabelEvent,
      );
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
