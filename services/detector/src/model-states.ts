import type { PairedOutcomes } from '@driftwatch/learn';
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
  /** Shadow version → its paired outcomes against this version; absent in older snapshots. */
  shadows?: Record<string, ShadowTally>;
}

/** A shadow's paired outcomes against the serving version so far, and whether they were judged. */
export type ShadowTally = { -readonly [Key in keyof PairedOutcomes]: PairedOutcomes[Key] } & {
  decided: boolean;
};

/**
 * One model's concept-drift state: the monitor of its newest version, and the trials of the
 * shadows scored beside it (a new serving version starts them afresh: the evidence compared the
 * shadow with the old one).
 */
export class ConceptState {
  constructor(
    readonly version: number,
    readonly monitor: ConceptMonitor,
    readonly shadows = new Map<number, ShadowTally>(),
  ) {}

  static revive(
    json: ConceptStateJson,
    monitorOptions: ConceptMonitorOptions,
  ): ConceptState | undefined {
    const shadows = new Map(
      Object.entries(json.shadows ?? {}).map(([version, tally]) => [Number(version), tally]),
    );
    if (ConceptMonitor.fits(monitorOptions, json.monitor)) {
      return new ConceptState(
        json.version,
        new ConceptMonitor(monitorOptions, json.monitor),
        shadows,
      );
    }
    // On a budget, a rebuilt monitor needs its version calibrated again, which takes the
    // version's registry entry: the next labeled prediction starts it afresh instead.
    if ((monitorOptions.falseAlarmEvery ?? 0) > 0) return undefined;
    // Options changed since the snapshot: the window is rebuilt.
    return new ConceptState(
      json.version,
      new ConceptMonitor(monitorOptions, undefined, json.monitor.classes),
      shadows,
    );
  }

  toJSON(): ConceptStateJson {
    return {
      version: this.version,
      monitor: this.monitor.toJSON(),
      shadows: Object.fromEntries(this.shadows),
    };
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
