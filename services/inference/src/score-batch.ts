import {
  deadLetterMessage,
  untilCommitted,
  type BatchHandler,
  type DeadLetterReason,
  type InputRecord,
  type OutputMessage,
} from '@driftwatch/bus';
import { DriftError } from '@driftwatch/drift';
import { buildFeatureMatrix, predictClasses, servedRow } from '@driftwatch/model';
import {
  DecodeError,
  encodeFeatureSketch,
  featureSketchesOf,
  withEmbeddingColumns,
  type Codec,
  type DeadLetter,
  type EdgeCaseRecord,
  type EdgeCaseVerdict,
  type FeatureEvent,
  type Prediction,
  type ShadowPrediction,
  type TopicNames,
} from '@driftwatch/topics';

import type { InferenceDiagnostics } from './diagnostics.js';
import type { ModelLease, ServedModel, ServingModels } from './serving-models.js';

export interface InferenceHandlerDependencies {
  names: Pick<TopicNames, 'predictions' | 'deadLetter' | 'edgeCases'>;
  /** Where each batch's feature sketches go, for the detector (bus `featureSketchTopic`). */
  sketchTopic: string;
  codecs: {
    events: Codec<FeatureEvent>;
    predictions: Codec<Prediction>;
    deadLetter: Codec<DeadLetter>;
    edgeCases: Codec<EdgeCaseRecord>;
  };
  models: ServingModels;
  /**
   * Overrides every binary version's own threshold (a probability of the second class at or above
   * it predicts that class); undefined: each version's.
   */
  threshold?: number | undefined;
  now: () => number;
  diagnostics: InferenceDiagnostics;
  /** A shadow's scoring call failed: its predictions of that batch are left out, and why is told here. */
  onShadowFailure?: (shadow: ServedModel, error: unknown) => void;
}

interface DecodedEvent {
  index: number;
  record: InputRecord;
  event: FeatureEvent;
}

/**
 * Scores one consumed batch: decode, group by model, one ONNX call per model, a prediction per
 * event, and per model version one feature sketch of those predictions for the detector's
 * data-drift rules. Whatever cannot be scored — malformed, unknown model, a missing or non-finite
 * feature — goes to the dead-letter topic with its reason; nothing is dropped and nothing throws.
 */
export function createInferenceHandler(deps: InferenceHandlerDependencies): BatchHandler {
  const { names, codecs } = deps;
  return async ({ records }, context) => {
    const diagnostics = untilCommitted(deps.diagnostics, context);
    const outputs: { index: number; message: OutputMessage }[] = [];
    const now = deps.now();
    const deadLetter = async (
      index: number,
      record: InputRecord,
      why: DeadLetterReason,
    ): Promise<void> => {
      diagnostics.deadLettered(why.code);
      const message = await deadLetterMessage({
        service: 'inference',
        record,
        why,
        deadLetterTopic: names.deadLetter,
        codec: codecs.deadLetter,
        now,
      });
      outputs.push({ index, message });
    };

    /** Each version's predictions of the batch, for its sketch over the version's inputs. */
    const sketched: { predictions: Prediction[]; features: readonly string[] }[] = [];
    const byModel = new Map<string, DecodedEvent[]>();
    for (const [index, record] of records.entries()) {
      try {
        const event = await codecs.events.decode(record.value);
        const group = byModel.get(event.model) ?? [];
        group.push({ index, record, event });
        byModel.set(event.model, group);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        await deadLetter(index, record, { code: error.code, reason: error.message });
      }
    }

    const lease = deps.models.lease();
    try {
      for (const [model, served, group] of routeEvents(byModel, lease)) {
        if (!served) {
          for (const { index, record } of group) {
            await deadLetter(index, record, {
              code: 'DW_UNKNOWN_MODEL',
              reason: `no promoted version of model "${model}" is being served`,
            });
          }
          continue;
        }
        for (const { item, reason } of spreadEmbeddings(group, served)) {
          await deadLetter(item.index, item.record, { code: 'DW_MISSING_FEATURE', reason });
        }
        const { matrix, accepted, rejected } = buildFeatureMatrix(
          group.map(({ event }) => event),
          served.scorer.featureNames,
        );
        for (const { index, code, reason } of rejected) {
          const item = group[index];
          if (item) await deadLetter(item.index, item.record, { code, reason });
        }
        if (accepted.length === 0) continue;
        const started = performance.now();
        let probabilities: Float64Array;
        try {
          probabilities = await served.scorer.score(matrix, accepted.length);
        } catch (error) {
          for (const position of accepted) {
            const item = group[position];
            if (item) {
              await deadLetter(item.index, item.record, {
                code: 'DW_SCORING_FAILED',
                reason: `model ${model} v${served.version} failed to score: ${(error as Error).message}`,
              });
            }
          }
          continue;
        }
        diagnostics.scored(
          model,
          served.version,
          accepted.length,
          (performance.now() - started) / 1000,
        );
        const eventTimestamps: number[] = [];
        const predictions: Prediction[] = [];
        let edgeCases = 0;
        sketched.push({ predictions, features: served.sketchFeatures });
        // Shadows score what the serving version scores, not an A/B arm's share.
        const shadows =
          served === lease.get(model)
            ? await scoreShadows(lease.shadows(model), group, served, { ...deps, diagnostics })
            : undefined;
        const { classes } = served.scorer;
        const classCount = classes.length;
        const predicted = predictClasses(
          probabilities,
          classCount,
          deps.threshold ?? served.threshold,
        );
        for (const [row, position] of accepted.entries()) {
          const item = group[position];
          const classIndex = predicted[row];
          if (!item || classIndex === undefined) continue;
          const output = servedRow(probabilities, row, classCount, classIndex);
          if (!output) {
            const returned = probabilities.slice(row * classCount, (row + 1) * classCount);
            await deadLetter(item.index, item.record, {
              code: 'DW_SCORING_FAILED',
              reason: `model ${model} v${served.version} returned a non-finite probability (${returned.join(', ')})`,
            });
            continue;
          }
          const prediction: Prediction = {
            id: item.event.id,
            model,
            modelVersion: served.version,
            ts: item.event.ts,
            scoredAt: now,
            score: output.score,
            predicted: classIndex,
            classes: [...classes],
            probabilities: output.probabilities,
            features: item.event.features,
          };
          const shadowed = shadows?.get(position);
          if (shadowed) prediction.shadows = shadowed;
          const edgeCase = served.edgeCases && judgeEdgeCase(served.edgeCases, item.event);
          if (edgeCase) prediction.edgeCase = edgeCase;
          eventTimestamps.push(item.event.ts);
          predictions.push(prediction);
          outputs.push({
            index: item.index,
            message: {
              topic: names.predictions,
              key: prediction.id,
              value: await codecs.predictions.encode(prediction),
            },
          });
          if (edgeCase) {
            edgeCases++;
            outputs.push({
              index: item.index,
              message: {
                topic: names.edgeCases,
                key: prediction.id,
                value: await codecs.edgeCases.encode({
                  id: prediction.id,
                  model,
                  modelVersion: served.version,
                  ts: prediction.ts,
                  scoredAt: now,
                  features: prediction.features,
                  predicted: classIndex,
                  classes: [...classes],
                  score: prediction.score,
                  edgeCase,
                }),
              },
            });
          }
        }
        if (eventTimestamps.length > 0) {
          diagnostics.predicted(model, eventTimestamps);
          if (served.edgeCases) diagnostics.edgeCases(model, edgeCases, predictions.length);
        }
      }
    } finally {
      lease.release();
    }
    // Input order, so a partition's predictions come out in the order its events went in; the
    // sketches ride in the same transaction, so the detector sees each prediction exactly once.
    const messages = outputs.sort((a, b) => a.index - b.index).map(({ message }) => message);
    for (const { predictions, features } of sketched) {
      for (const sketch of featureSketchesOf(predictions, { features })) {
        messages.push({
          topic: deps.sketchTopic,
          key: sketch.model,
          value: encodeFeatureSketch(sketch),
        });
      }
    }
    return messages;
  };
}

/** The event's edge-case verdict, its row read in the reference's column order. */
function judgeEdgeCase(
  edgeCases: NonNullable<ServedModel['edgeCases']>,
  event: FeatureEvent,
): EdgeCaseVerdict | null {
  const row = edgeCases.features.map((name) => event.features[name] ?? Number.NaN);
  // The model's inputs are checked finite before scoring; a reference over other columns is not.
  if (!row.every(Number.isFinite)) return null;
  let verdict: EdgeCaseVerdict | null;
  try {
    verdict = edgeCases.finder.judge(row);
  } catch (error) {
    // A value so far out that standardizing it overflows has no nearest cluster to name; the
    // event is still scored and served, as the model took it.
    if (error instanceof DriftError) return null;
    throw error;
  }
  // Far enough out, the distance itself overflows: still the farthest there is, and a number.
  return verdict && !Number.isFinite(verdict.distance)
    ? { ...verdict, distance: Number.MAX_VALUE }
    : verdict;
}

/**
 * Every shadow's prediction of each event of `group` (by position), from one ONNX call per shadow.
 * A shadow never costs an event its serving prediction: an event a shadow cannot read (it may
 * want other features) simply has no prediction of that shadow, and a shadow that fails to score
 * is counted and left out of this batch.
 */
async function scoreShadows(
  shadows: readonly ServedModel[],
  group: readonly DecodedEvent[],
  served: ServedModel,
  deps: Pick<InferenceHandlerDependencies, 'threshold' | 'diagnostics' | 'onShadowFailure'>,
): Promise<Map<number, ShadowPrediction[]>> {
  const { threshold, diagnostics } = deps;
  const byPosition = new Map<number, ShadowPrediction[]>();
  const events = group.map(({ event }) => event);
  for (const shadow of shadows) {
    const classCount = shadow.scorer.classes.length;
    if (shadow.scorer.classes.join('\n') !== served.scorer.classes.join('\n')) continue;
    const { matrix, accepted } = buildFeatureMatrix(events, shadow.scorer.featureNames);
    if (accepted.length === 0) continue;
    const started = performance.now();
    let probabilities: Float64Array;
    try {
      probabilities = await shadow.scorer.score(matrix, accepted.length);
    } catch (error) {
      diagnostics.shadowScored(shadow.model, shadow.version, 'failed', accepted.length);
      deps.onShadowFailure?.(shadow, error);
      continue;
    }
    const seconds = (performance.now() - started) / 1000;
    const predicted = predictClasses(probabilities, classCount, threshold ?? shadow.threshold);
    let scored = 0;
    for (const [row, position] of accepted.entries()) {
      const classIndex = predicted[row];
      if (classIndex === undefined) continue;
      const shadowRow = servedRow(probabilities, row, classCount, classIndex);
      if (!shadowRow) continue;
      const list = byPosition.get(position) ?? [];
      list.push({
        modelVersion: shadow.version,
        score: shadowRow.score,
        predicted: classIndex,
      });
      byPosition.set(position, list);
      scored++;
    }
    diagnostics.shadowScored(shadow.model, shadow.version, 'scored', scored, seconds);
  }
  return byPosition;
}

/**
 * For a version that declares an embedding (its model takes it, or its drift is watched on it):
 * spreads each event's vector into its features (`embedding[i]`, `withEmbeddingColumns`) and takes
 * out of `group` the events whose vector is missing or of another length, returned with why, for
 * the dead-letter topic. A wrong length is another embedding model's output: truncated or padded it
 * would be scored and judged as garbage. A version that declares none ignores an event's vector,
 * which then rides on nothing downstream.
 */
function spreadEmbeddings(
  group: DecodedEvent[],
  served: ServedModel,
): { item: DecodedEvent; reason: string }[] {
  const length = served.embeddingLength;
  if (length === 0) return [];
  const refused: { item: DecodedEvent; reason: string }[] = [];
  const kept = group.filter((item) => {
    const carried = item.event.embedding?.length ?? 0;
    if (carried === length) {
      item.event = {
        ...item.event,
        features: withEmbeddingColumns(item.event.features, item.event.embedding),
      };
      return true;
    }
    refused.push({
      item,
      reason: `model ${served.model} v${served.version} takes an embedding of ${length} values; the event carries ${carried === 0 ? 'none' : carried}`,
    });
    return false;
  });
  group.splice(0, group.length, ...kept);
  return refused;
}

/**
 * Each model's events grouped by the version that scores them: the serving one, or for an A/B
 * split's share of event ids its candidate (`ModelLease.route`); undefined when none serves.
 */
function routeEvents(
  byModel: ReadonlyMap<string, DecodedEvent[]>,
  lease: ModelLease,
): [string, ServedModel | undefined, DecodedEvent[]][] {
  const groups: [string, ServedModel | undefined, DecodedEvent[]][] = [];
  for (const [model, events] of byModel) {
    const byServed = new Map<ServedModel | undefined, DecodedEvent[]>();
    for (const item of events) {
      const served = lease.route(model, item.event.id);
      const group = byServed.get(served) ?? [];
      group.push(item);
      byServed.set(served, group);
    }
    for (const [served, group] of byServed) groups.push([model, served, group]);
  }
  return groups;
}
