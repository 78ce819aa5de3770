import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { deadLetterMessage, type InputRecord } from '@driftwatch/bus';
import type { DeadLetter } from '@driftwatch/topics';

import { jsonLines, runCli } from '../testing/run-cli.js';
import { testDeployment, type TestDeployment } from '../testing/test-deployment.js';
import { deadLettersTable } from './dead-letters.js';

const letter = (fields: Partial<DeadLetter>): DeadLetter => ({
  service: 'inference',
  sourceTopic: 'events',
  partition: 1,
  offset: '7',
  code: 'DW_UNKNOWN_MODEL',
  reason: 'no promoted version of model "x" is being served',
  key: null,
  value: Buffer.from('{}'),
  failedAt: 1,
  valueTruncated: false,
  valueSize: 2,
  valueSha256: null,
  ...fields,
});

describe('deadLettersTable', () => {
  it('prints code, service, where the record is, its size, and the reason', () => {
    assert.deepEqual(
      deadLettersTable([
        letter({}),
        letter({
          code: 'DW_RECORD_TOO_LARGE',
          offset: '12345',
          valueSize: 900_000,
          valueTruncated: true,
          reason: 'too\nlarge',
        }),
      ]),
      [
        'DW_UNKNOWN_MODEL     inference  events/1@7      2 B                   no promoted version of model "x" is being served',
        'DW_RECORD_TOO_LARGE  inference  events/1@12345  900000 B (truncated)  too large',
      ],
    );
  });
});

describe('driftwatch dead-letters', () => {
  let deployment: TestDeployment;
  /** Two whole letters of an unknown model, one cut down to a prefix, one of another code. */
  const sources: {
    offset: string;
    value: Buffer;
    code: 'DW_UNKNOWN_MODEL' | 'DW_SCHEMA_VIOLATION';
  }[] = [
    { offset: '0', value: Buffer.from('{"id":"e0","model":"later"}'), code: 'DW_UNKNOWN_MODEL' },
    { offset: '1', value: Buffer.from('{"id":"e1","model":"later"}'), code: 'DW_UNKNOWN_MODEL' },
    { offset: '2', value: Buffer.alloc(300_000, 0x61), code: 'DW_UNKNOWN_MODEL' },
    { offset: '3', value: Buffer.from('{"id":3}'), code: 'DW_SCHEMA_VIOLATION' },
  ];

  before(async () => {
    deployment = await testDeployment('dead-letters');
    await deployment.provision(['deadLetter', 'events']);
    const producer = deployment.kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      for (const source of sources) {
        const record: InputRecord = {
          topic: deployment.names.events,
          partition: 0,
          offset: source.offset,
          key: Buffer.from(`k${source.offset}`),
          value: source.value,
          timestamp: '0',
          headers: {},
        };
        const message = await deadLetterMessage({
          service: 'inference',
          record,
          why: { code: source.code, reason: `reason ${source.offset}` },
          deadLetterTopic: deployment.names.deadLetter,
          codec: deployment.codecs.deadLetter,
          now: 1,
          // Small, so the third letter keeps only a prefix of its value.
          maxMessageBytes: 100_000,
        });
        await producer.send({ topic: message.topic, messages: [message] });
      }
    } finally {
      await producer.disconnect();
    }
  });
  after(async () => {
    await deployment.cleanup();
  });

  it('--json prints every letter; --code keeps one code', async () => {
    const all = await runCli(['dead-letters', '--json'], deployment.env);
    assert.equal(all.code, 0, all.stderr);
    const printed = jsonLines(all.stdout) as {
      offset: string;
      code: string;
      valueTruncated: boolean;
      valueSize: number;
    }[];
    assert.deepEqual(
      printed.map((l) => [l.offset, l.code, l.valueTruncated, l.valueSize]),
      [
        ['0', 'DW_UNKNOWN_MODEL', false, 27],
        ['1', 'DW_UNKNOWN_MODEL', false, 27],
        ['2', 'DW_UNKNOWN_MODEL', true, 300_000],
        ['3', 'DW_SCHEMA_VIOLATION', false, 8],
      ],
    );
    const one = await runCli(
      ['dead-letters', '--json', '--code', 'DW_SCHEMA_VIOLATION'],
      deployment.env,
    );
    assert.deepEqual(
      (jsonLines(one.stdout) as { offset: string }[]).map((l) => l.offset),
      ['3'],
    );
    const table = await runCli(['dead-letters', '--code', 'DW_SCHEMA_VIOLATION'], deployment.env);
    assert.match(
      table.stdout,
      /^DW_SCHEMA_VIOLATION {2}inference {2}\S+events\/0@3 {2}8 B {2}reason 3\n$/,
    );
  });

  it('replay re-publishes the whole letters of a code to their topic with their key, and skips the cut ones', async () => {
    const dry = await runCli(
      ['dead-letters', 'replay', '--code', 'DW_UNKNOWN_MODEL', '--dry-run'],
      deployment.env,
    );
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /would send 2, skipped 1 \(truncated or without a value\) of 3 dead letters/,
    );
    assert.equal((await deployment.readTopic(deployment.names.events)).length, 0);

    const sent = await runCli(
      ['dead-letters', 'replay', '--code', 'DW_UNKNOWN_MODEL'],
      deployment.env,
    );
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /^sent 2, skipped 1 /);
    const replayed = await deployment.readTopic(deployment.names.events);
    assert.deepEqual(replayed.map((r) => [String(r.key), String(r.value)]).sort(), [
      ['k0', '{"id":"e0","model":"later"}'],
      ['k1', '{"id":"e1","model":"later"}'],
    ]);
  });

  it('replay needs a known --code', async () => {
    const result = await runCli(['dead-letters', 'replay', '--code', 'DW_NOPE'], deployment.env);
    assert.equal(result.code, 2);
  });
});
