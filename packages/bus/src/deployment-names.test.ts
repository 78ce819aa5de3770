import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { deploymentNames } from './deployment-names.js';

describe('deploymentNames', () => {
  it('derives every Kafka name of a deployment from its prefix', () => {
    const names = deploymentNames('staging.');
    assert.equal(names.consumerGroup('joiner'), 'staging.driftwatch-joiner');
    assert.equal(names.clientId('inference', 'i-1'), 'driftwatch-inference-i-1');
    assert.equal(names.clientId('cli'), 'driftwatch-cli');
    assert.equal(
      names.followerGroupPrefix('detector', 'registry'),
      'staging.driftwatch-detector-registry',
    );
    assert.equal(
      names.internalTopic('detector', 'state-changelog'),
      'staging.driftwatch-detector-state-changelog',
    );
  });

  it('keeps two deployments on one cluster apart', () => {
    assert.notEqual(
      deploymentNames('a.').consumerGroup('detector'),
      deploymentNames('b.').consumerGroup('detector'),
    );
  });
});
