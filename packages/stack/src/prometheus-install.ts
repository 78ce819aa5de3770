import { ensureDebianProgram } from './debian-package.js';

/** Where the Prometheus server and its promtool are. */
export interface PrometheusPrograms {
  prometheus: string;
  promtool: string;
}

/**
 * Finds `prometheus` and `promtool`, installing Debian's `prometheus` package (which ships both)
 * when they are missing and we may, as the stack does for Redis. Not part of `stack:up`: the
 * services only expose /metrics, and the tests that prove the rules and the dashboard start a
 * Prometheus of their own (test/support/prometheus.ts).
 */
export async function ensurePrometheus(
  log: (message: string) => void = () => undefined,
): Promise<PrometheusPrograms> {
  const program = (command: string) =>
    ensureDebianProgram(
      {
        command,
        debianPackage: 'prometheus',
        code: 'DW_STACK_NO_PROMETHEUS',
        installHint:
          'Debian/Ubuntu: sudo apt-get install prometheus; elsewhere: https://prometheus.io/download/',
      },
      log,
    );
  const prometheus = await program('prometheus');
  return { prometheus, promtool: await program('promtool') };
}
