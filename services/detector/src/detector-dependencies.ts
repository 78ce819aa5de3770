import type { ModelRegistry } from '@driftwatch/bus';
import type {
  Codec,
  DeadLetter,
  DriftAlert,
  LabeledPrediction,
  ModelVersion,
  Prediction,
  RetrainRequest,
  TopicNames,
} from '@driftwatch/topics';

import type { ConceptMonitorOptions } from './concept-monitor.js';
import type { DataMonitorOptions } from './data-monitor.js';
import type { AlarmCalibrator } from './alarm-calibrator.js';
import type { DetectorDiagnostics } from './diagnostics.js';
import type { InternalTopicNames } from './internal-topics.js';
import type { ConceptState, ConceptStateJson, DataState, DataStateJson } from './model-states.js';
import type { RetrainPolicy, RetrainPolicyOptions, RetrainPolicyState } from './retrain-policy.js';
import type { StateBatch, StateStore } from './state-store.js';

/** What the detector's batch handler works with; `main.ts` builds it, tests build their own. */
export interface DetectorDependencies {
  names: Pick<
    TopicNames,
    | 'predictions'
    | 'predictionsLabeled'
    | 'driftAlerts'
    | 'retrainRequested'
    | 'deadLetter'
    | 'modelVersions'
  >;
  internal: InternalTopicNames;
  codecs: {
    predictions: Codec<Prediction>;
    predictionsLabeled: Codec<LabeledPrediction>;
    driftAlerts: Codec<DriftAlert>;
    retrainRequested: Codec<RetrainRequest>;
    deadLetter: Codec<DeadLetter>;
    /** A shadow's trial decided is a new record of its version. */
    modelVersions: Codec<ModelVersion>;
  };
  registry: ModelRegistry;
  /** Resolves once the registry holds every model version published so far. */
  refreshRegistry: () => Promise<void>;
  /** Concept-drift state per model (keyed by model name). */
  concept: StateStore<ConceptState, ConceptStateJson>;
  /** Data-drift state per model (keyed by model name). */
  data: StateStore<DataState, DataStateJson>;
  /**
   * The one retrain policy per model that concept and data drift both feed. Its inputs, the
   * feature sketches and `predictions-labeled`, are both keyed by model and
   * co-partitioned, so the member that owns a model's partition owns its policy.
   */
  policies: StateStore<RetrainPolicy, RetrainPolicyState>;
  options: {
    concept: ConceptMonitorOptions;
    data: DataMonitorOptions;
    policy: RetrainPolicyOptions;
  };
  now: () => number;
  /** Calibrates a version that carries no calibration made under these options. */
  calibrator: AlarmCalibrator;
  diagnostics: DetectorDiagnostics;
}

/** Everything a batch's handling uses but the stores. */
export type SharedDependencies = Omit<DetectorDependencies, 'concept' | 'data' | 'policies'>;

/** What one batch is handled with: the dependencies, each store opened for the batch. */
export interface BatchDependencies extends SharedDependencies {
  concept: StateBatch<ConceptState, ConceptStateJson>;
  data: StateBatch<DataState, DataStateJson>;
  policies: StateBatch<RetrainPolicy, RetrainPolicyState>;
}
