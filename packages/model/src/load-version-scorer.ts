import { versionClasses, type ModelVersion } from '@driftwatch/topics';

import { ClassifierScorer } from './classifier-scorer.js';

/**
 * Loads a model version the way every service scores it: its ONNX bytes, checksum verified, read
 * with the hints pinned on the version (feature names in input order, classes, how a single
 * output is read), so inference, the trainer's champion evaluation and the CLI agree on what a
 * version predicts, whether driftwatch trained it or the user registered it.
 */
export function loadVersionScorer(
  version: Pick<ModelVersion, 'onnx' | 'sha256' | 'featureNames' | 'classes' | 'outputKind'>,
  options: { intraOpNumThreads?: number } = {},
): Promise<ClassifierScorer> {
  return ClassifierScorer.load(version.onnx, {
    expectedSha256: version.sha256,
    featureNames: version.featureNames,
    classes: versionClasses(version),
    ...(version.outputKind ? { outputKind: version.outputKind } : {}),
    ...options,
  });
}
