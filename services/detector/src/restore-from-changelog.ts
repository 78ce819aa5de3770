import type { InputRecord } from '@driftwatch/bus';

import type { ConceptState, ConceptStateJson, DataState, DataStateJson } from './model-states.js';
import type { RetrainPolicy, RetrainPolicyState } from './retrain-policy.js';
import { snapshotPositionOf } from './snapshot-position.js';
import { parseStateKey } from './state-key.js';
import type { StateSnapshot, StateStore } from './state-store.js';

/**
 * Folds one changelog record into the store its key names. A record this release cannot read —
 * another key, broken JSON — is logged and skipped: the detector must start whatever history
 * the compacted topic holds.
 */
export function restoreFromChangelog(
  record: Pick<InputRecord, 'key' | 'value' | 'offset'> & Partial<Pick<InputRecord, 'headers'>>,
  stores: {
    concept: StateStore<ConceptState, ConceptStateJson>;
    data: StateStore<DataState, DataStateJson>;
    policies: StateStore<RetrainPolicy, RetrainPolicyState>;
  },
  logger: { warn(fields: object, message: string): void },
): void {
  const text = record.key?.toString() ?? '';
  if (!record.value) return;
  const key = parseStateKey(text);
  try {
    if (!key) throw new Error(`not a state key: ${JSON.stringify(text)}`);
    const store =
      key.stream === 'concept'
        ? stores.concept
        : key.stream === 'data'
          ? stores.data
          : stores.policies;
    // Most records are this detector's own, already held: known by their header, not parsed.
    const position = snapshotPositionOf(record.headers);
    if (position && !store.isNewer(key.model, position)) return;
    // The key names the store, and so the state's shape: `never` stands in for it.
    store.restore(key.model, JSON.parse(record.value.toString('utf8')) as StateSnapshot<never>);
  } catch (error) {
    logger.warn(
      { event: 'state.unreadable', key: text, offset: record.offset, err: error },
      'unreadable state snapshot; skipped',
    );
  }
}
