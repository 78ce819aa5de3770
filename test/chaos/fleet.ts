import { setTimeout as sleep } from 'node:timers/promises';

import type { ServiceName } from '@driftwatch/demo';

import { freePort } from '../support/stack-cli.js';
import type { FleetMember } from './chaos-plan.js';
import { spawnServiceInstance, type ServiceInstance } from './service-instance.js';

/** An instance that exited without being told to: what the chaos suite exists to find. */
export interface UnexpectedExit {
  member: string;
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Its last error-level log lines (message and error), oldest first. */
  lastErrors: string[];
  logFile: string;
}

/** A kill as the fleet did it: when, and which partitions of its group the victim held. */
export interface FleetKill {
  member: string;
  service: ServiceName;
  at: number;
  owned: { topic: string; partition: number }[];
}

export interface FleetOptions {
  /** What every instance gets: the stack's addresses, the topic prefix, tuning. */
  env: Record<string, string>;
  logDir: string;
  /** The consumer group a service's processor joins: its joins count as rebalances. */
  groupOf: (service: ServiceName) => string;
}

interface Slot {
  member: FleetMember;
  port: number;
  instance?: ServiceInstance;
  /** Set while the fleet itself ends the instance, so its exit is not unexpected. */
  ending: boolean;
  retired: boolean;
  /** Settles once the latest (re)start has started, or given up. */
  launching: Promise<void>;
  /** Settles once the latest kill is done: kills of one member run one after another. */
  killing?: Promise<unknown>;
}

const joinedMessage = 'Consumer has joined the group';

/**
 * The service instances of a chaos run, each with its own `INSTANCE_ID` (its client id in the
 * broker's logs; fencing is per input partition) and `HTTP_PORT`. It kills, freezes, adds and
 * removes them, restarts every one that dies — by our hand or on its own — and remembers each
 * process it ran, so rebalances and unexpected exits can be counted afterwards.
 */
export class Fleet {
  readonly kills: FleetKill[] = [];
  readonly unexpectedExits: UnexpectedExit[] = [];
  restarts = 0;
  /** Older copies of a member found still running at its restart, and killed. */
  strays = 0;
  readonly #options: FleetOptions;
  readonly #slots = new Map<string, Slot>();
  readonly #instances: ServiceInstance[] = [];
  #stopping = false;
  #extra = 0;

  constructor(options: FleetOptions) {
    this.#options = options;
    // A test runner that gives up on a run (its timeout, --test-force-exit) exits without the
    // run's cleanup: its service processes would live on and load every later test.
    process.once('exit', () => {
      for (const instance of this.#instances) {
        if (!hasExited(instance)) instance.child.kill('SIGKILL');
      }
    });
  }

  /** Starts members and waits until each has started. */
  async add(members: readonly FleetMember[]): Promise<void> {
    await Promise.all(
      members.map(async (member) => {
        const slot: Slot = {
          member,
          port: await freePort(),
          ending: false,
          retired: false,
          launching: Promise.resolve(),
        };
        this.#slots.set(member.name, slot);
        slot.launching = this.#launch(slot);
        await slot.launching;
      }),
    );
  }

  /** Adds one more instance of a service (a rebalance storm's step); does not wait for it. */
  addExtra(service: ServiceName): void {
    const name = `${service}-extra${++this.#extra}`;
    void this.add([{ name, service }]);
  }

  /** Stops the newest extra instance of a service with SIGTERM, as a scale-down would. */
  async removeExtra(service: ServiceName): Promise<void> {
    const slot = [...this.#slots.values()]
      .filter((s) => s.member.service === service && s.member.name.includes('-extra'))
      .at(-1);
    if (!slot) return;
    slot.retired = true;
    this.#slots.delete(slot.member.name);
    await slot.launching;
    const instance = slot.instance;
    if (!instance) return;
    slot.ending = true;
    instance.child.kill('SIGTERM');
    await instance.exited;
  }

  /** `kill -9` once the member has started, then its restart (not awaited). */
  async kill(name: string): Promise<FleetKill | undefined> {
    const slot = this.#slots.get(name);
    if (!slot) return undefined;
    // Two kills of one member at once would each start a replacement: two copies, one port.
    const previous = slot.killing;
    const killing = previous ? previous.then(() => this.#kill(slot, name)) : this.#kill(slot, name);
    slot.killing = killing.catch(() => undefined);
    return killing;
  }

  async #kill(slot: Slot, name: string): Promise<FleetKill | undefined> {
    await slot.launching;
    // Died on its own meanwhile: its restart is already under way; kill that one once it runs,
    // rather than start a second copy beside it.
    while (slot.instance && hasExited(slot.instance) && !this.#stopping) {
      await sleep(100);
      await slot.launching;
    }
    const instance = slot.instance;
    if (!instance || this.#stopping) return undefined;
    const kill: FleetKill = {
      member: name,
      service: slot.member.service,
      at: Date.now(),
      owned: this.#assignment(instance),
    };
    slot.ending = true;
    instance.child.kill('SIGKILL');
    await instance.exited;
    this.kills.push(kill);
    slot.launching = this.#launch(slot);
    return kill;
  }

  /** SIGSTOP for `ms`, then SIGCONT: a zombie that outlives its session (issue 18). */
  async freeze(name: string, ms: number): Promise<boolean> {
    const slot = this.#slots.get(name);
    if (!slot) return false;
    await slot.launching;
    const instance = slot.instance;
    if (!instance || instance.child.exitCode !== null) return false;
    instance.child.kill('SIGSTOP');
    await sleep(ms);
    instance.child.kill('SIGCONT');
    return true;
  }

  /** Resolves once no (re)start is in progress. */
  async settled(): Promise<void> {
    for (;;) {
      const pending = [...this.#slots.values()].map((slot) => slot.launching);
      await Promise.all(pending);
      const again = [...this.#slots.values()].map((slot) => slot.launching);
      if (again.every((launching, k) => launching === pending[k])) return;
    }
  }

  /** Joins of a processor group's leader: one per generation of each service's group. */
  rebalances(): number {
    const groups = new Set(
      (['inference', 'joiner', 'detector', 'trainer'] as const).map(this.#options.groupOf),
    );
    return this.#instances
      .flatMap((instance) => instance.logs)
      .filter(
        (entry) =>
          entry['msg'] === joinedMessage &&
          entry['isLeader'] === true &&
          groups.has(String(entry['groupId'])),
      ).length;
  }

  /** Processes this fleet ever ran, for their log files. */
  get instances(): readonly ServiceInstance[] {
    return this.#instances;
  }

  /** Kills every process the fleet ever started that still runs, whatever slot it was in. */
  async stopAll(): Promise<void> {
    this.#stopping = true;
    for (const slot of this.#slots.values()) slot.ending = true;
    await Promise.all(
      this.#instances.map(async (instance) => {
        if (hasExited(instance)) return;
        instance.child.kill('SIGCONT');
        instance.child.kill('SIGKILL');
        await instance.exited;
      }),
    );
  }

  /** The partitions the instance's latest join of its processor group gave it. */
  #assignment(instance: ServiceInstance): FleetKill['owned'] {
    const group = this.#options.groupOf(instance.service);
    const join = instance.logs
      .filter((entry) => entry['msg'] === joinedMessage && entry['groupId'] === group)
      .at(-1);
    const assignment = (join?.['memberAssignment'] ?? {}) as Record<string, number[]>;
    return Object.entries(assignment).flatMap(([topic, partitions]) =>
      partitions.map((partition) => ({ topic, partition })),
    );
  }

  /** Starts the slot's member until one start succeeds; every death after that restarts it. */
  async #launch(slot: Slot): Promise<void> {
    const { member } = slot;
    for (let attempt = 0; !this.#stopping && !slot.retired; attempt++) {
      if (slot.instance) this.restarts++;
      // One process per member, whatever order kills and restarts raced in: a second copy would
      // find the member's HTTP_PORT taken and exit, again and again.
      slot.ending = true;
      await Promise.all(
        this.#instances
          .filter((other) => other.instanceId === member.name && !hasExited(other))
          .map(async (other) => {
            this.strays++;
            other.child.kill('SIGKILL');
            await other.exited;
          }),
      );
      slot.ending = false;
      const instance = await spawnServiceInstance(member.service, {
        env: { ...this.#options.env, INSTANCE_ID: member.name, HTTP_PORT: String(slot.port) },
        logDir: this.#options.logDir,
      });
      slot.instance = instance;
      this.#instances.push(instance);
      let running = false;
      void instance.exited.then(({ code, signal }) => {
        if (slot.ending || this.#stopping || slot.instance !== instance) return;
        this.unexpectedExits.push({
          member: member.name,
          at: Date.now(),
          code,
          signal,
          lastErrors: lastErrors(instance),
          logFile: instance.logFile,
        });
        // Started before it died: restart it. Died while starting: the loop below retries.
        if (running && !slot.retired)
          slot.launching = slot.launching.then(() => this.#launch(slot));
      });
      try {
        await instance.started;
        running = true;
        return;
      } catch {
        // Its exit is recorded above; a moment's pause so a crash loop does not spin.
        await sleep(500);
      }
    }
  }
}

function hasExited(instance: ServiceInstance): boolean {
  return instance.child.exitCode !== null || instance.child.signalCode !== null;
}

/** The logger writes levels as names ("error"); a crash outside it goes to stderr. */
const errorLevels = new Set<unknown>(['error', 'fatal', 50, 60]);

function lastErrors(instance: ServiceInstance): string[] {
  return instance.logs
    .filter((entry) => errorLevels.has(entry['level']))
    .slice(-3)
    .map((entry) => {
      const err = entry['err'] as { message?: string; type?: string } | undefined;
      const what = typeof entry['stderr'] === 'string' ? entry['stderr'].slice(0, 500) : '';
      return [entry['msg'], err?.type, err?.message, what].filter(Boolean).join(': ');
    });
}
