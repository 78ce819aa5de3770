import type { ReferenceProfile } from '@driftwatch/topics';

import {
  ConceptMonitor,
  type ConceptMonitorOptions,
  type ConceptMonitorState,
} from './concept-monitor.js';
import { DataMonitor, type DataMonitorOptions, type DataMonitorState } from './data-monitor.js';
import {
  RetrainPolicy,
  type RetrainPolicyOptions,
  type RetrainPolicyState,
} from './retrain-policy.js';

export interface ConceptStateJson {
  version: number;
  monitor: ConceptMonitorState;
  policy: RetrainPolicyState;
}

/** One model's concept-drift state: the monitor of its newest version, and its retrain policy. */
export class ConceptState {
  constructor(
    readonly version: number,
    readonly monitor: ConceptMonitor,
    readonly policy: RetrainPolicy,
  ) {}

  static revive(
    json: ConceptStateJson,
    monitorOptions: ConceptMonitorOptions,
    policyOptions: RetrainPolicyOptions,
  ): ConceptState {
    // Options changed since the snapshot: the window is rebuilt, the policy's memory is kept.
    const monitor = ConceptMonitor.fits(monitorOptions, json.monitor)
      ? new ConceptMonitor(monitorOptions, json.monitor)
      : new ConceptMonitor(monitorOptions, undefined, json.monitor.classes);
    return new ConceptState(json.version, monitor, new RetrainPolicy(policyOptions, json.policy));
  }

  toJSON(): ConceptStateJson {
    return { version: this.version, monitor: this.monitor.toJSON(), policy: this.policy.toJSON() };
  }
}

export interface DataStateJson {
  version: number;
  monitor: DataMonitorState;
  policy: RetrainPolicyState;
}

/** One model's data-drift state: the monitor of its newest version against that version's reference. */
export class DataState {
  constructor(
    readonly version: number,
    readonly monitor: DataMonitor,
    readonly policy: RetrainPolicy,
  ) {}

  static revive(
    json: DataStateJson,
    reference: ReferenceProfile,
    monitorOptions: DataMonitorOptions,
    policyOptions: RetrainPolicyOptions,
  ): DataState {
    const monitor = DataMonitor.fits(monitorOptions, json.monitor)
      ? new DataMonitor(reference, monitorOptions, json.monitor)
      : new DataMonitor(reference, monitorOptions);
    return new DataState(json.version, monitor, new RetrainPolicy(policyOptions, json.policy));
  }

  toJSON(): DataStateJson {
    return { version: this.version, monitor: this.monitor.toJSON(), policy: this.policy.toJSON() };
  }
}
