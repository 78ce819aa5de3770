import {
  deploymentNames,
  groupLag,
  readTimeRange,
  type Admin,
  type PartitionWatermarks,
} from '@driftwatch/bus';
import { internalTopicNames, performanceFromChangelog } from '@driftwatch/detector';
import { parseEnv, redisEnv, textTable } from '@driftwatch/service-kit';
import {
  answersPing,
  readStackConfig,
  stackStatus,
  StackError,
  type ServerStatus,
} from '@driftwatch/stack';
import { createCodecs, topicIds, type TopicId } from '@driftwatch/topics';
import { Command } from 'commander';

import { readCliConfig, type CliConfig } from '../cli-config.js';
import { cliKafka, connectAdmin, unreachable } from '../kafka-client.js';
import { withinDeadline } from '../deadline.js';
import { modelStatus, type ModelStatus } from '../model-status.js';
import { readAlerts } from '../read-alerts.js';
import { readEdgeCases } from '../read-edge-cases.js';
import { readModelRegistry } from '../read-model-registry.js';
import { groupIdEnv, serviceNames, type ServiceName } from '../service-names.js';

export interface StatusReport {
  brokers: string[];
  topicPrefix: string;
  /**
   * `local`: the stack `npm run stack:up` runs (its own pid files); `remote`: KAFKA_BROKERS or
   * REDIS_URL point elsewhere, so only whether they answer.
   */
  stack:
    | { mode: 'local'; kafka: ServerStatus; redis: ServerStatus; schemaRegistry: ServerStatus }
    | { mode: 'remote'; redis: { address: string; reachable: boolean } };
  kafka:
    { reachable: true; clusterId: string; brokers: number } | { reachable: false; error: string };
  /** Catalog topics; `messages` is end − start offsets summed over partitions (see --help). */
  topics: {
    id: TopicId;
    name: string;
    exists: boolean;
    partitions: number | null;
    messages: number | null;
  }[];
  services: {
    service: ServiceName;
    groupId: string;
    /** Kafka's group state (Stable, Empty, PreparingRebalance, …); `none`: no such group. */
    state: string;
    members: number;
    /** Records the group has yet to read; null when it never committed an offset. */
    lag: number | null;
  }[];
  models: ModelStatus[];
  alerts: { total: number; byModel: Record<string, number> } | null;
}

/**
 * Everything `status` shows, gathered with short timeouts: a broker that does not answer gives a
 * report saying so (and nothing from Kafka) within a few seconds, not a hang.
 */
export async function collectStatus(
  config: CliConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<StatusReport> {
  const groupIds = parseEnv(groupIdEnv, env);
  const [stack, kafkaProbe] = await Promise.all([stackReport(env), probeKafka(config)]);
  const report: StatusReport = {
    brokers: config.brokers,
    topicPrefix: config.topicPrefix,
    stack,
    kafka: kafkaProbe,
    topics: [],
    services: [],
    models: [],
    alerts: null,
  };
  if (!kafkaProbe.reachable) return report;
  const kafka = cliKafka(config);
  const admin = await connectAdmin(kafka, config.brokers);
  try {
    const existing = new Set(await admin.listTopics());
    const watermarks = new Map<string, PartitionWatermarks[]>();
    for (const id of topicIds) {
      const name = config.names[id];
      if (!existing.has(name)) {
        report.topics.push({ id, name, exists: false, partitions: null, messages: null });
        continue;
      }
      const offsets = await admin.fetchTopicOffsets(name);
      watermarks.set(name, offsets);
      const messages = offsets.reduce((sum, { low, high }) => sum + Number(high) - Number(low), 0);
      report.topics.push({ id, name, exists: true, partitions: offsets.length, messages });
    }
    report.services = await serviceGroups(admin, config, groupIds, watermarks);

    const codecs = await createCodecs({
      schemaRegistryUrl: config.schemaRegistryUrl,
      names: config.names,
      topics: [],
    });
    const changelog = internalTopicNames(config.topicPrefix).state;
    const [registry, alerts, edgeCases, performance] = await Promise.all([
      existing.has(config.names.modelVersions)
        ? readModelRegistry({
            kafka,
            topic: config.names.modelVersions,
            codec: codecs.modelVersions,
            groupIdPrefix: deploymentNames(config.topicPrefix).followerGroupPrefix('cli', 'status'),
            timeoutMs: 15_000,
          })
        : null,
      existing.has(config.names.driftAlerts)
        ? readAlerts({ kafka, topic: config.names.driftAlerts, codec: codecs.driftAlerts })
        : null,
      existing.has(config.names.edgeCases)
        ? readEdgeCases({ kafka, topic: config.names.edgeCases, codec: codecs.edgeCases })
        : null,
      // The detector's committed state: accuracy with labels, and estimated without them, and
      // how many predictions of each serving version it has seen.
      existing.has(changelog)
        ? withinDeadline(15_000, `reading ${changelog}`, (signal) =>
            readTimeRange({
              kafka,
              topic: changelog,
              fromTs: 0,
              toTs: Number.MAX_SAFE_INTEGER,
              signal,
            }),
          ).then(performanceFromChangelog)
        : [],
    ]);
    report.models = registry === null ? [] : modelStatus(registry, performance, edgeCases);
    if (alerts !== null) {
      const byModel: Record<string, number> = {};
      for (const alert of alerts.alerts) byModel[alert.model] = (byModel[alert.model] ?? 0) + 1;
      report.alerts = { total: alerts.alerts.length, byModel };
    }
  } finally {
    await admin.disconnect();
  }
  return report;
}

async function stackReport(
  env: Readonly<Record<string, string | undefined>>,
): Promise<StatusReport['stack']> {
  try {
    const status = await stackStatus(readStackConfig(env));
    return { mode: 'local', ...status };
  } catch (error) {
    // Servers elsewhere: the local stack's pid files say nothing about them.
    if (!(error instanceof StackError && error.code === 'DW_STACK_BAD_ADDRESS')) throw error;
    const redisUrl = new URL(parseEnv(redisEnv, env).REDIS_URL);
    const port = Number(redisUrl.port || '6379');
    return {
      mode: 'remote',
      redis: {
        address: `${redisUrl.hostname}:${port}`,
        reachable: await answersPing(redisUrl.hostname, port, 3000),
      },
    };
  }
}

/**
 * Whether the brokers answer, with one quick attempt: the full client retries, which is right for
 * reading but would keep a person waiting on a broker that is down.
 */
async function probeKafka(config: CliConfig): Promise<StatusReport['kafka']> {
  const { brokers } = config;
  const admin = cliKafka(config, { retries: 1 }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { reachable: true, clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  } catch (error) {
    return { reachable: false, error: unreachable(brokers, error).message };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function serviceGroups(
  admin: Admin,
  config: CliConfig,
  overrides: Record<keyof typeof groupIdEnv, string>,
  watermarks: ReadonlyMap<string, PartitionWatermarks[]>,
): Promise<StatusReport['services']> {
  const groups = serviceNames.map((service) => {
    const override = overrides[`${service.toUpperCase() as Uppercase<ServiceName>}_GROUP_ID`];
    return {
      service,
      groupId: override || deploymentNames(config.topicPrefix).consumerGroup(service),
    };
  });
  const described = await admin.describeGroups(groups.map((g) => g.groupId));
  return Promise.all(
    groups.map(async ({ service, groupId }) => {
      const group = described.groups.find((g) => g.groupId === groupId);
      // Kafka answers "Dead" for a group it does not know.
      const state = group === undefined || group.state === 'Dead' ? 'none' : group.state;
      const committed = state === 'none' ? [] : await admin.fetchOffsets({ groupId });
      const lagWatermarks = new Map(watermarks);
      for (const { topic } of committed) {
        // Groups may read topics outside the catalog (a service's internal topics).
        if (!lagWatermarks.has(topic))
          lagWatermarks.set(topic, await admin.fetchTopicOffsets(topic));
      }
      return {
        service,
        groupId,
        state,
        members: group?.members.length ?? 0,
        lag: groupLag(committed, lagWatermarks),
      };
    }),
  );
}

const countFormat = new Intl.NumberFormat('en-US');

/** The report as one screen: stack, topics, services, models, alerts. */
export function formatStatus(report: StatusReport): string[] {
  const lines: string[] = [
    `driftwatch on ${report.brokers.join(',')}, topic prefix ${JSON.stringify(report.topicPrefix)}`,
    '',
    'stack',
  ];
  const server = (s: ServerStatus): string[] => [
    s.name,
    s.state,
    s.address,
    s.pid === undefined ? '' : `pid ${s.pid}`,
    s.detail ?? '',
  ];
  const stackRows =
    report.stack.mode === 'local'
      ? [
          server(report.stack.kafka),
          server(report.stack.redis),
          server(report.stack.schemaRegistry),
        ]
      : [
          ['kafka', report.kafka.reachable ? 'reachable' : 'unreachable', report.brokers.join(',')],
          [
            'redis',
            report.stack.redis.reachable ? 'reachable' : 'unreachable',
            report.stack.redis.address,
          ],
        ];
  lines.push(...indent(textTable(stackRows)));
  if (!report.kafka.reachable) {
    lines.push('', `kafka: ${report.kafka.error}`);
    return lines;
  }

  lines.push('', 'topics');
  lines.push(
    ...indent(
      textTable(
        report.topics.map((t) =>
          t.exists
            ? [
                t.name,
                `${t.partitions ?? 0} ${t.partitions === 1 ? 'partition' : 'partitions'}`,
                `${countFormat.format(t.messages ?? 0)} messages`,
              ]
            : [t.name, 'missing'],
        ),
      ),
    ),
  );

  lines.push('', 'services (consumer groups)');
  lines.push(
    ...indent(
      textTable(
        report.services.map((s) =>
          s.state === 'none'
            ? [s.service, s.groupId, 'no group: not started']
            : [
                s.service,
                s.groupId,
                s.state,
                `${s.members} ${s.members === 1 ? 'member' : 'members'}`,
                s.lag === null ? 'no offsets committed' : `lag ${countFormat.format(s.lag)}`,
              ],
        ),
      ),
    ),
  );

  lines.push('', 'models');
  if (report.models.length === 0) lines.push('  none yet');
  lines.push(
    ...indent(
      textTable(
        report.models.map((m) => [
          m.model,
          m.servingVersion === null ? 'nothing promoted' : `serving v${m.servingVersion}`,
          `${m.versions} ${m.versions === 1 ? 'version' : 'versions'}`,
          m.estimated
            ? `estimated accuracy ${m.estimated.accuracy.toFixed(3)} (v${m.estimated.version}, last ${countFormat.format(m.estimated.predictions)} predictions)`
            : '',
          m.realized
            ? `realized ${m.realized.accuracy.toFixed(3)} (v${m.realized.version}, last ${countFormat.format(m.realized.labeled)} labeled)`
            : '',
          m.edgeCases
            ? `edge cases ${countFormat.format(m.edgeCases.found)} of ${countFormat.format(m.edgeCases.judged)} (v${m.edgeCases.version})`
            : '',
        ]),
      ),
    ),
  );

  const alerts = report.alerts;
  const perModel =
    alerts === null || alerts.total === 0
      ? ''
      : ` (${Object.entries(alerts.byModel)
          .map(([model, count]) => `${model} ${count}`)
          .join(', ')})`;
  lines.push(
    '',
    `alerts: ${alerts === null ? 'none (no drift-alerts topic)' : `${alerts.total}${perModel}`}`,
  );
  return lines;
}

function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}

export function statusCommand(): Command {
  return new Command('status')
    .description(
      'one screen of what runs: stack, topics, services, serving models, edge cases, alerts',
    )
    .option('--json', 'print the report as JSON', false)
    .addHelpText(
      'after',
      `
Shows the local stack (or, when KAFKA_BROKERS / REDIS_URL point elsewhere, whether they answer);
each driftwatch topic with its partitions and messages (end − start offsets, so transaction
markers count and compacted-away records do not); each service's consumer group with its state
and lag; the serving version of each model, with its accuracy as the detector last committed it:
estimated from scores before labels arrive (binary versions with a calibration) and realized over
the labeled window; the edge cases inference identified among the predictions of the version the
detector last saw served ("edge cases 51 of 11,840 (v2)"; nothing for a version whose reference
has no clusters, where inference looks for none); and how many drift alerts there are.
Exits 1 when Kafka does not answer (within a few seconds).

Examples:
  $ driftwatch status
  $ TOPIC_PREFIX=staging. driftwatch status --json | jq '.services[] | {service, lag}'`,
    )
    .action(async (options: { json: boolean }) => {
      const report = await collectStatus(readCliConfig());
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else console.log(formatStatus(report).join('\n'));
      if (!report.kafka.reachable) process.exitCode = 1;
    });
}
