import type { TopicMessages } from 'kafkajs';

import type { OutputMessage } from './records.js';

/**
 * Output is sent in requests of at most this many value bytes. The broker refuses a record batch
 * over `max.message.bytes` (1 MiB by default), and kafkajs puts everything one request holds for a
 * partition into one batch, so a large input batch must not become one produce request.
 */
const MAX_REQUEST_BYTES = 512 * 1024;

/** Splits output into produce requests of bounded size, each grouped by topic, order kept. */
export function produceRequests(
  messages: readonly OutputMessage[],
  maxBytes = MAX_REQUEST_BYTES,
): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let byTopic = new Map<string, TopicMessages>();
  let bytes = 0;
  for (const { topic, key, value, headers } of messages) {
    const size = value.length + (key?.length ?? 0);
    if (bytes > 0 && bytes + size > maxBytes) {
      requests.push([...byTopic.values()]);
      byTopic = new Map();
      bytes = 0;
    }
    let entry = byTopic.get(topic);
    if (!entry) {
      entry = { topic, messages: [] };
      byTopic.set(topic, entry);
    }
    entry.messages.push(headers ? { key, value, headers } : { key, value });
    bytes += size;
  }
  if (byTopic.size > 0) requests.push([...byTopic.values()]);
  return requests;
}
