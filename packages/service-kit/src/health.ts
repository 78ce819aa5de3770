import type { HealthReport } from './http-server.js';

/** Named checks that parts of a service flip as they connect, crash or fall behind. */
export class HealthChecks {
  readonly #checks = new Map<string, { healthy: boolean; detail?: string }>();
  readonly #probes = new Map<string, () => boolean>();

  set(name: string, healthy: boolean, detail?: string): void {
    this.#checks.set(name, detail === undefined ? { healthy } : { healthy, detail });
  }

  /** A check asked afresh at every report, e.g. whether a consumer still runs. */
  watch(name: string, probe: () => boolean): void {
    this.#probes.set(name, probe);
  }

  report(): HealthReport {
    const checks = Object.fromEntries(this.#checks);
    for (const [name, probe] of this.#probes) checks[name] = { healthy: probe() };
    return { healthy: Object.values(checks).every((check) => check.healthy), checks };
  }
}
