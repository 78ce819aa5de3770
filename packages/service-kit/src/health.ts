import type { HealthReport } from './http-server.js';

/** A service's link to something it needs (Kafka, Redis), told when it is reached or lost. */
export interface Dependency {
  /** Reached: healthy again at once. */
  up(): void;
  /** Unreachable: the report turns unhealthy once it has stayed so for longer than the grace. */
  down(reason: string): void;
}

export interface DependencyChange {
  name: string;
  state: 'up' | 'down';
  /** Why it is down; undefined when up. */
  reason: string | undefined;
}

interface DependencyState {
  upSince: number | undefined;
  downSince: number | undefined;
  reason: string;
}

/**
 * Named checks that parts of a service flip as they connect, crash or fall behind, and the
 * dependencies it needs. A dependency is unhealthy only once it has been unreachable for longer
 * than `graceMs`: a broker's leader moving or Redis restarting is ridden out without an
 * orchestrator killing the service, while one that stays away is reported. A dependency starts
 * as not reached yet, so a service started while one is down says so.
 */
export class HealthChecks {
  readonly #checks = new Map<string, { healthy: boolean; detail?: string }>();
  readonly #probes = new Map<string, () => boolean>();
  readonly #dependencies = new Map<string, DependencyState>();
  readonly #graceMs: number;
  readonly #now: () => number;
  readonly #onChange: (change: DependencyChange) => void;

  constructor(
    options: {
      graceMs?: number;
      now?: () => number;
      /** Told of every transition (not of repeats), e.g. to log it once. */
      onChange?: (change: DependencyChange) => void;
    } = {},
  ) {
    this.#graceMs = options.graceMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange ?? (() => undefined);
  }

  set(name: string, healthy: boolean, detail?: string): void {
    this.#checks.set(name, detail === undefined ? { healthy } : { healthy, detail });
  }

  /** A check asked afresh at every report, e.g. whether a consumer still runs. */
  watch(name: string, probe: () => boolean): void {
    this.#probes.set(name, probe);
  }

  dependency(name: string): Dependency {
    const state: DependencyState = {
      upSince: undefined,
      downSince: this.#now(),
      reason: 'not reached yet',
    };
    this.#dependencies.set(name, state);
    return {
      up: () => {
        if (state.upSince !== undefined) return;
        state.upSince = this.#now();
        state.downSince = undefined;
        this.#onChange({ name, state: 'up', reason: undefined });
      },
      down: (reason) => {
        state.reason = reason;
        if (state.downSince !== undefined) return;
        state.downSince = this.#now();
        state.upSince = undefined;
        this.#onChange({ name, state: 'down', reason });
      },
    };
  }

  /** Dependencies not reached yet or lost now, whatever the grace: for saying so at start. */
  unreachable(): { name: string; reason: string }[] {
    return [...this.#dependencies]
      .filter(([, state]) => state.downSince !== undefined)
      .map(([name, state]) => ({ name, reason: state.reason }));
  }

  report(): HealthReport {
    const checks = Object.fromEntries(this.#checks);
    for (const [name, probe] of this.#probes) checks[name] = { healthy: probe() };
    const now = this.#now();
    for (const [name, state] of this.#dependencies) {
      if (state.downSince === undefined) {
        checks[name] = { healthy: true, detail: 'reachable' };
        continue;
      }
      const downMs = now - state.downSince;
      const seconds = Math.round(downMs / 1000);
      checks[name] = {
        healthy: downMs <= this.#graceMs,
        detail: `unreachable for ${seconds} s (grace ${Math.round(this.#graceMs / 1000)} s): ${state.reason}`,
      };
    }
    return { healthy: Object.values(checks).every((check) => check.healthy), checks };
  }
}
