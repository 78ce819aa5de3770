export {
  scoreDetections,
  summarizeScores,
  type DetectionScore,
  type DetectionSummary,
  type ScoreDetectionsInput,
} from './score-detections.js';
export {
  syntheticStream,
  type StreamFamily,
  type StreamKind,
  type SyntheticStream,
  type SyntheticStreamOptions,
} from './synthetic-streams.js';
