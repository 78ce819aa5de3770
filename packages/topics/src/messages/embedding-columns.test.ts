import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { sampleMessages } from '../testing/sample-messages.js';
import {
  embeddingColumns,
  embeddingColumnsProblem,
  embeddingLengthOf,
  isEmbeddingColumn,
  withEmbeddingColumns,
} from './embedding-columns.js';
import { featureEventSchema } from './feature-event.js';
import { modelVersionSchema, versionEmbeddingLength } from './model-version.js';

const [sampleVersion] = sampleMessages.modelVersions;
assert.ok(sampleVersion);

describe('embedding columns', () => {
  it('names each position embedding[i], and only those', () => {
    assert.deepEqual(embeddingColumns(3), ['embedding[0]', 'embedding[1]', 'embedding[2]']);
    assert.ok(isEmbeddingColumn('embedding[12]'));
    for (const name of [
      'embedding',
      'embedding[01]',
      'embedding[-1]',
      'x_embedding[0]',
      'embedding[0] ',
    ]) {
      assert.equal(isEmbeddingColumn(name), false, name);
    }
    assert.equal(embeddingLengthOf(['age', 'embedding[1]', 'embedding[0]']), 2);
  });

  it('says why positions cannot stand for one vector: one missing, or repeated', () => {
    assert.equal(embeddingColumnsProblem(['age', 'embedding[1]', 'embedding[0]']), null);
    assert.equal(embeddingColumnsProblem(['age']), null);
    assert.match(
      embeddingColumnsProblem(['embedding[0]', 'embedding[2]']) ?? '',
      /found embedding\[2\] where embedding\[1\] belongs/,
    );
    assert.match(
      embeddingColumnsProblem(['embedding[0]', 'embedding[0]']) ?? '',
      /found embedding\[0\] where embedding\[1\] belongs/,
    );
  });

  it('spreads an event’s vector into its features, leaving them be without one', () => {
    const features = { age: 41 };
    assert.deepEqual(withEmbeddingColumns(features, [0.5, -1]), {
      age: 41,
      'embedding[0]': 0.5,
      'embedding[1]': -1,
    });
    assert.equal(withEmbeddingColumns(features, null), features);
    assert.equal(withEmbeddingColumns(features, []), features);
  });

  it('an event may carry a vector, but not beside features named like its positions', () => {
    const event = { id: 'e1', model: 'docs', ts: 1, features: { age: 41 }, embedding: [0.5, 1] };
    assert.deepEqual(featureEventSchema.parse(event), event);
    const clash = featureEventSchema.safeParse({
      ...event,
      features: { age: 41, 'embedding[0]': 3 },
    });
    assert.equal(clash.success, false);
    assert.deepEqual(clash.error.issues[0]?.path, ['features', 'embedding[0]']);
    // Without a vector such names are the user's own features.
    assert.ok(
      featureEventSchema.safeParse({ ...event, embedding: null, features: { 'embedding[0]': 3 } })
        .success,
    );
    assert.equal(
      featureEventSchema.safeParse({ ...event, embedding: [1, Number.NaN] }).success,
      false,
    );
  });

  it('a version declares the length by its columns: the model’s, or the multivariate reference’s', () => {
    assert.equal(versionEmbeddingLength(sampleVersion), 0);
    const takes = { ...sampleVersion, featureNames: ['age', ...embeddingColumns(4)] };
    assert.equal(versionEmbeddingLength(takes), 4);
    assert.ok(modelVersionSchema.safeParse(takes).success);
    const gap = { ...sampleVersion, featureNames: ['age', 'embedding[0]', 'embedding[2]'] };
    const refused = modelVersionSchema.safeParse(gap);
    assert.equal(refused.success, false);
    assert.deepEqual(refused.error.issues[0]?.path, ['featureNames']);
  });
});
