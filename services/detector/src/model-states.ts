import type { ReferenceProfile } from '@driftwatch/topics';

import {
  ConceptMonitor,
  type ConceptMonitorOptions,
  type ConceptMonitorState,
} from './concept-monitor.js';
import { DataMonitor, type DataMonitorOptions, type DataMonitorState } from './data-monitor.js';

/**
 * A snapshot may still carry the retrain policy that an earlier release kept here; the model's
 * one policy now has its own snapshot (`policy/<model>`), and the old copy is ignored.
 */
export interface ConceptStateJson {
  version: number;
  monitor: ConceptMonitorState;
}

/** One model's concept-drift state: the monitor of its newest version. */
export class ConceptState {
  constructor(
    readonly version: number,
    readonly monitor: ConceptMonitor,
  ) {}

  static revive(
    json: ConceptStateJson,
    monitorOptions: ConceptMonitorOptions,
  ): ConceptState | undefined {
    if (ConceptMonitor.fits(monitorOptions, json.monitor)) {
      return new ConceptState(json.version, new ConceptMonitor(monitorOptions, json.monitor));
    }
    // On a budget, a rebuilt monitor needs its version calibrated again, which takes the
    // version's registry entry: the next labeled prediction starts it afresh instead.
    if ((monitorOptions.falseAlarmEvery ?? 0) > 0) return undefined;
    // Options changed since the snapshot: the window is rebuilt.
    return new ConceptState(
      json.version,
      new ConceptMonitor(monitorOptions, undefined, json.monitor.classes),
    );
  }

  toJSON(): ConceptStateJson {
    return { version: this.version, monitor: this.monitor.toJSON() };
  }
}

export interface DataStateJson {
  version: number;
  monitor: DataMonitorState;
}

/** One model's data-drift state: the monitor of its newest version against that version's reference. */
export class DataState {
  constructor(
    readonly version: number,
    readonly monitor: DataMonitor,
  ) {}

  static revive(
    json: DataStateJson,
    reference: ReferenceProfile,
    monitorOptions: DataMonitorOptions,
  ): DataState {
    const monitor = DataMonitor.fits(monitorOptions, json.monitor)
      ? new DataMonitor(reference, monitorOptions, json.monitor)
      : new DataMonitor(reference, monitorOptions);
    return new DataState(json.version, monitor);
  }

  toJSON(): DataStateJson {
    return { version: this.version, monitor: this.monitor.toJSON() };
  }
}
