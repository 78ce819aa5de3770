/**
 * Seeded data and trained models for this package's tests: features on very different scales
 * (around 0, around 10⁶, tiny, integer counts, far from zero with a wide spread), so an export that
 * mishandled standardization or float32 would show.
 */
import { mulberry32 } from '@driftwatch/drift';
import {
  trainModel,
  type BinaryModel,
  type MulticlassModel,
  type TrainedModel,
} from '@driftwatch/learn';

export const featureNames = ['unit', 'amount', 'tiny', 'count', 'epochMs'] as const;

/** `count` rows; `stretch` > 1 widens every feature around its centre, to leave the training range. */
export function wideRangeRows(seed: number, count: number, stretch = 1): number[][] {
  const random = mulberry32(seed);
  const centred = (): number => (random() * 2 - 1) * stretch;
  return Array.from({ length: count }, () => [
    centred(),
    1e6 + 1e3 * centred(),
    1e-4 * centred(),
    Math.floor(random() * 6 * stretch),
    1.7e12 + 1e9 * centred(),
  ]);
}

/** A label that needs several features and an interaction, with 10% noise. */
export function labelsFor(rows: readonly (readonly number[])[], seed: number): number[] {
  const random = mulberry32(seed);
  return rows.map(([unit = 0, amount = 0, tiny = 0, count = 0]) => {
    const signal = unit * ((amount - 1e6) / 1e3) + tiny * 5e3 + (count - 2.5) / 3;
    const label = signal > 0 ? 1 : 0;
    return random() < 0.1 ? 1 - label : label;
  });
}

export function trainedModels(): {
  logistic: BinaryModel;
  tanh: BinaryModel;
  relu: BinaryModel;
} {
  const rows = wideRangeRows(1, 600);
  const labels = labelsFor(rows, 2);
  const names = [...featureNames];
  const binary = (model: TrainedModel): BinaryModel => model as BinaryModel;
  return {
    logistic: binary(trainModel('logistic', rows, labels, names)),
    tanh: binary(trainModel('mlp', rows, labels, names, { mlp: { epochs: 20, seed: 3 } })),
    relu: binary(
      trainModel('mlp', rows, labels, names, {
        mlp: { activation: 'relu', hiddenUnits: 12, epochs: 20, seed: 4 },
      }),
    ),
  };
}

/** Four classes from the same signals: the binary label, split by the sign of `unit`. */
export function multiclassLabelsFor(rows: readonly (readonly number[])[], seed: number): number[] {
  return labelsFor(rows, seed).map((label, i) => 2 * label + ((rows[i]?.[0] ?? 0) > 0 ? 1 : 0));
}

export const multiclassCount = 4;

export function trainedMulticlassModels(): {
  logistic: MulticlassModel;
  tanh: MulticlassModel;
  relu: MulticlassModel;
} {
  const rows = wideRangeRows(1, 600);
  const labels = multiclassLabelsFor(rows, 2);
  const names = [...featureNames];
  const multiclass = (model: TrainedModel): MulticlassModel => model as MulticlassModel;
  const train = (family: 'logistic' | 'mlp', options = {}): MulticlassModel =>
    multiclass(trainModel(family, rows, labels, names, options, multiclassCount));
  return {
    logistic: train('logistic'),
    tanh: train('mlp', { mlp: { epochs: 20, seed: 3 } }),
    relu: train('mlp', { mlp: { activation: 'relu', hiddenUnits: 12, epochs: 20, seed: 4 } }),
  };
}
