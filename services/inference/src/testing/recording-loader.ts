import { loadVersionScorer } from '@driftwatch/model';
import type { ModelVersion } from '@driftwatch/topics';

import type { ModelLoader, ScoringModel } from '../serving-models.js';

export interface RecordingLoader {
  load: ModelLoader;
  /** `<model> v<version>` of every load started, in order. */
  readonly loads: string[];
  /** `<model> v<version>` of every release, in order. */
  readonly releases: string[];
  /** Holds back the load of `<model> v<version>` until `open` is called; returns `open`. */
  gate(model: string, version: number): () => void;
  /** Runs `hook` before each scoring call of that version (then scores as usual). */
  beforeScore(model: string, version: number, hook: () => Promise<void>): void;
  /** Rewrites what each scoring call of that version returns, as a misbehaving model would. */
  rewriteScores(model: string, version: number, rewrite: (scores: Float64Array) => void): void;
}

/**
 * The inference service's loader (onnxruntime, checksum verified), instrumented: what was loaded
 * and released, and hooks to order a load or a scoring call against the rest of a test.
 */
export function recordingLoader(): RecordingLoader {
  const loads: string[] = [];
  const releases: string[] = [];
  const gates = new Map<string, Promise<void>>();
  const hooks = new Map<string, () => Promise<void>>();
  const rewrites = new Map<string, (scores: Float64Array) => void>();
  const name = (model: string, version: number): string => `${model} v${version}`;
  const load = async (version: ModelVersion): Promise<ScoringModel> => {
    const id = name(version.model, version.version);
    loads.push(id);
    await gates.get(id);
    const scorer = await loadVersionScorer(version);
    return {
      featureNames: scorer.featureNames,
      classes: scorer.classes,
      score: async (matrix, rowCount) => {
        await hooks.get(id)?.();
        const scores = await scorer.score(matrix, rowCount);
        rewrites.get(id)?.(scores);
        return scores;
      },
      release: () => {
        releases.push(id);
        return scorer.release();
      },
    };
  };
  return {
    load,
    loads,
    releases,
    gate: (model, version) => {
      let open: () => void = () => undefined;
      gates.set(
        name(model, version),
        new Promise<void>((resolve) => {
          open = resolve;
        }),
      );
      return () => {
        open();
      };
    },
    beforeScore: (model, version, hook) => {
      hooks.set(name(model, version), hook);
    },
    rewriteScores: (model, version, rewrite) => {
      rewrites.set(name(model, version), rewrite);
    },
  };
}
