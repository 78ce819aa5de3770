/** The four services, and the CLI when it reads topics or joins groups of its own. */
export type DeploymentMember = 'inference' | 'joiner' | 'detector' | 'trainer' | 'cli' | 'demo';

/** Every Kafka name a driftwatch deployment owns, derived from its `TOPIC_PREFIX` in one place. */
export interface DeploymentNames {
  /** A service's consumer group: `<prefix>driftwatch-<service>`. */
  consumerGroup(service: DeploymentMember): string;
  /** The client id brokers log: `driftwatch-<service>-<instance>` (not prefixed: not a resource). */
  clientId(service: DeploymentMember, instanceId?: string): string;
  /**
   * The group-id prefix of a member's topic followers (each follower adds a unique suffix):
   * `<prefix>driftwatch-<member>-<purpose>`, e.g. the detector's `registry` and `restore`.
   */
  followerGroupPrefix(member: DeploymentMember, purpose: string): string;
  /** A service's internal topic, in the manner of Kafka Streams: `<prefix>driftwatch-<service>-<name>`. */
  internalTopic(service: DeploymentMember, name: string): string;
}

/**
 * The names for a prefix, e.g. `deploymentNames('staging.').consumerGroup('joiner')` is
 * `staging.driftwatch-joiner`. Two deployments on one cluster differ by prefix and share nothing.
 */
export function deploymentNames(prefix: string): DeploymentNames {
  return {
    consumerGroup: (service) => `${prefix}driftwatch-${service}`,
    clientId: (service, instanceId) =>
      instanceId === undefined ? `driftwatch-${service}` : `driftwatch-${service}-${instanceId}`,
    followerGroupPrefix: (member, purpose) => `${prefix}driftwatch-${member}-${purpose}`,
    internalTopic: (service, name) => `${prefix}driftwatch-${service}-${name}`,
  };
}

/**
 * Inference's feature sketches (`@driftwatch/topics` FeatureSketch), keyed by model and read by
 * the detector for data drift: `<prefix>driftwatch-inference-feature-sketches`.
 */
export function featureSketchTopic(prefix: string): string {
  return deploymentNames(prefix).internalTopic('inference', 'feature-sketches');
}
