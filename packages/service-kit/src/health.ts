import type { HealthReport } from './http-server.js';

/** Named checks that parts of a service flip as they connect, crash or fall behind. */
export class HealthChecks {
  readonly #checks = new Map<string, { healthy: boolean; detail?: string }>();

  set(name: string, healthy: boolean, detail?: string): void {
    this.#checks.set(name, detail === undefined ? { healthy } : { healthy, detail });
  }

  report(): HealthReport {
    const checks = Object.fromEntries(this.#checks);
    return { healthy: [...this.#checks.values()].every((check) => check.healthy), checks };
  }
}
