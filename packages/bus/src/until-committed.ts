import type { BatchContext } from './transactional-processor.js';

/**
 * `diagnostics` with every method call held back until the batch attempt commits: what a
 * handler reports (joins, dead letters, alerts) then counts once per committed batch, not once
 * per attempt. For objects whose methods return nothing, such as a service's diagnostics.
 */
export function untilCommitted<Diagnostics extends object>(
  diagnostics: Diagnostics,
  context: Pick<BatchContext, 'afterCommit'>,
): Diagnostics {
  return new Proxy(diagnostics, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        context.afterCommit(() => {
          Reflect.apply(value, target, args);
        });
      };
    },
  });
}
