import { attemptBatch, ModelRegistry, type InputRecord, type OutputMessage } from '@driftwatch/bus';
import { createCodecs, topicNames } from '@driftwatch/topics';
import { Registry } from 'prom-client';

import { inProcessAlarmCalibrator } from '../alarm-calibrator.js';
import { createDetectorHandler } from '../create-detector-handler.js';
import type { DetectorDependencies } from '../detector-dependencies.js';
import { createDetectorStores } from '../detector-stores.js';
import { createDetectorDiagnostics } from '../diagnostics.js';
import { internalTopicNames } from '../internal-topics.js';
import { restoreFromChangelog } from '../restore-from-changelog.js';
import { unitDetectorOptions } from './unit-detector-options.js';

export const names = topicNames('unit.');
export const internal = internalTopicNames('unit.');
export const codecs = await createCodecs({ schemaRegistryUrl: '', names });

/** A detector's dependencies without a broker: an empty registry, fresh stores, a fixed clock. */
export function unitDetectorDependencies(
  options: DetectorDependencies['options'] = unitDetectorOptions,
  metrics = new Registry(),
): DetectorDependencies {
  const registry = new ModelRegistry();
  return {
    names,
    internal,
    codecs,
    registry,
    refreshRegistry: () => Promise.resolve(),
    ...createDetectorStores(options, registry),
    options,
    now: () => 1_000_000,
    calibrator: inProcessAlarmCalibrator,
    diagnostics: createDetectorDiagnostics(metrics),
  };
}

/** Handles `records` of `predictions-labeled` in batches of `size`, each committing. */
export async function handleInBatches(
  deps: DetectorDependencies,
  records: InputRecord[],
  size: number,
): Promise<OutputMessage[]> {
  const handle = createDetectorHandler(deps);
  const outputs: OutputMessage[] = [];
  for (let start = 0; start < records.length; start += size) {
    const batch = {
      topic: names.predictionsLabeled,
      partition: 0,
      records: records.slice(start, start + size),
    };
    outputs.push(...(await attemptBatch(handle, batch, { commits: true })));
  }
  return outputs;
}

/** Restores `deps` from the changelog snapshots among `outputs`, as a restarted detector does. */
export function restoreSnapshots(
  deps: DetectorDependencies,
  outputs: readonly OutputMessage[],
  warn: (fields: unknown) => void,
): void {
  const snapshots = outputs.filter((output) => output.topic === internal.state);
  for (const [offset, snapshot] of snapshots.entries()) {
    restoreFromChangelog(
      {
        key: Buffer.from(snapshot.key ?? ''),
        value: snapshot.value,
        offset: String(offset),
        ...(snapshot.headers ? { headers: snapshot.headers } : {}),
      },
      deps,
      { warn },
    );
  }
}
