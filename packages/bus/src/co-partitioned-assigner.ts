import { AssignerProtocol, type PartitionAssigner } from './kafka.js';

/** Which partitions of which topics each member reads. */
export type Assignment = Map<string, Record<string, number[]>>;

/**
 * Partition `p` of every topic goes to the same member: the sorted members' `p mod n`th. Topics
 * keyed alike with the same partition count are then co-partitioned — one member sees every
 * record of a key, whichever topic it arrives on — which is what lets the detector keep one
 * retrain policy per model for its data-drift and its concept-drift inputs. (Kafka Streams asks
 * the same of the topics it joins; kafkajs' round-robin assigner deals partitions out across
 * topics and gives no such promise.)
 *
 * @example
 * ```ts
 * const assignment = coPartitionedAssignment(['b', 'a'], new Map([['x', [0, 1, 2]], ['y', [0, 1, 2]]]));
 * assignment.get('a'); // => { x: [0, 2], y: [0, 2] }
 * assignment.get('b'); // => { x: [1], y: [1] }
 * ```
 */
export function coPartitionedAssignment(
  memberIds: readonly string[],
  partitionsByTopic: ReadonlyMap<string, readonly number[]>,
): Assignment {
  const members = [...memberIds].sort();
  const assignment: Assignment = new Map(members.map((id) => [id, {}]));
  if (members.length === 0) return assignment;
  for (const [topic, partitions] of partitionsByTopic) {
    for (const partition of [...partitions].sort((a, b) => a - b)) {
      const member = assignment.get(members[partition % members.length] ?? '');
      if (member) (member[topic] ??= []).push(partition);
    }
  }
  return assignment;
}

/**
 * {@link coPartitionedAssignment} as a kafkajs partition assigner. A processor lists it before
 * round-robin, so a group whose members do not all offer it (a rolling upgrade) still forms, on
 * round-robin, until they do.
 */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'DriftwatchCoPartitioned',
  version: 0,
  assign({ members, topics }) {
    const partitions = new Map(
      topics.map((topic) => [
        topic,
        cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId),
      ]),
    );
    const assignment = coPartitionedAssignment(
      members.map((m) => m.memberId),
      partitions,
    );
    return Promise.resolve(
      [...assignment].map(([memberId, topicPartitions]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: topicPartitions,
          userData: Buffer.alloc(0),
        }),
      })),
    );
  },
  protocol({ topics }) {
    return {
      name: 'DriftwatchCoPartitioned',
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 0,
        topics,
        userData: Buffer.alloc(0),
      }),
    };
  },
});
