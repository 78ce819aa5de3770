import { mulberry32 } from '@driftwatch/drift';
import type { ServiceName } from '@driftwatch/demo';

/** One member of the fleet: `inference-1`, `joiner-2`, `trainer-1`. */
export interface FleetMember {
  readonly name: string;
  readonly service: ServiceName;
}

export type ChaosAction =
  | { readonly kind: 'kill'; readonly member: string }
  | { readonly kind: 'freeze'; readonly member: string }
  | { readonly kind: 'restart-redis' }
  | { readonly kind: 'restart-broker' }
  /** A rebalance storm's step: one more instance of a service joins, or the newest extra leaves. */
  | { readonly kind: 'add-instance'; readonly service: ServiceName }
  | { readonly kind: 'remove-instance'; readonly service: ServiceName };

/**
 * An action and when it happens, counted in events the load has sent: a busy machine slows the
 * run down but does not move a fault to another point of the stream.
 */
export interface PlannedAction {
  readonly atEvent: number;
  readonly action: ChaosAction;
}

export interface ChaosPlanOptions {
  readonly seed: number;
  /** Events in the run; every action falls in its middle 5 %–90 %. */
  readonly events: number;
  readonly members: readonly FleetMember[];
  /** `kill -9`s; the first ones hit each service once, so no service goes unkilled. */
  readonly kills: number;
  /** SIGSTOPs longer than the session timeout, round-robin over the services. Default 0. */
  readonly freezes?: number;
  /** Add-then-remove cycles of an extra instance. Default 0. */
  readonly stormCycles?: number;
}

/**
 * The seeded schedule of a chaos run: `kills` kills of seeded members, one Redis restart, one
 * broker restart, and optionally freezes and a rebalance storm, sorted by `atEvent`. Pure: the
 * same options give the same plan.
 *
 * @example
 * ```ts
 * const plan = chaosPlan({ seed: 1, events: 1000, members, kills: 6 });
 * plan.filter((step) => step.action.kind === 'kill').length; // 6
 * ```
 */
export function chaosPlan(options: ChaosPlanOptions): PlannedAction[] {
  const { events, members, kills } = options;
  if (!(events > 0) || members.length === 0 || kills < 0) {
    throw new RangeError('a chaos plan needs events > 0, members and kills >= 0');
  }
  const random = mulberry32(options.seed);
  const at = (from = 0.05, to = 0.9): number =>
    Math.floor(events * (from + (to - from) * random()));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new RangeError('nothing to pick from');
    return item;
  };
  const services = [...new Set(members.map((member) => member.service))];
  const membersOf = (service: ServiceName): FleetMember[] =>
    members.filter((member) => member.service === service);

  const plan: PlannedAction[] = [];
  for (let k = 0; k < kills; k++) {
    const service = services[k];
    const member = service === undefined ? pick(members) : pick(membersOf(service));
    plan.push({ atEvent: at(), action: { kind: 'kill', member: member.name } });
  }
  plan.push({ atEvent: at(0.2, 0.4), action: { kind: 'restart-redis' } });
  plan.push({ atEvent: at(0.45, 0.7), action: { kind: 'restart-broker' } });
  for (let k = 0; k < (options.freezes ?? 0); k++) {
    const service = services[k % services.length] ?? 'joiner';
    plan.push({ atEvent: at(), action: { kind: 'freeze', member: pick(membersOf(service)).name } });
  }
  const stormServices = services.filter((service) => service !== 'trainer');
  for (let k = 0; k < (options.stormCycles ?? 0); k++) {
    const service = pick(stormServices);
    const start = at(0.05, 0.8);
    plan.push({ atEvent: start, action: { kind: 'add-instance', service } });
    plan.push({
      atEvent: start + Math.max(1, Math.floor(events * 0.05)),
      action: { kind: 'remove-instance', service },
    });
  }
  // Stable: actions planned at the same event keep the order they were planned in.
  return plan.sort((a, b) => a.atEvent - b.atEvent);
}
