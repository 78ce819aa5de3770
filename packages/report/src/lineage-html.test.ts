import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { lineageHtml } from './lineage-html.js';
import type { VersionNode } from './model-report.js';

function node(version: number, parentVersion: number | null): VersionNode {
  return {
    version,
    parentVersion,
    status: 'promoted',
    serving: false,
    createdAt: 0,
    reason: `reason of v${version}`,
    request: null,
    holdout: { trainRows: 1, holdoutRows: 1, challenger: {}, champion: null },
    trainingWindow: { fromTs: 0, toTs: 0 },
    served: null,
  };
}

/** The tree's shape: each version with the versions nested under it. */
function shape(html: string): string {
  return html
    .replace(
      /<div class="card".*?<span class="badge"[^>]*>(v\d+)<\/span>.*?<\/div>\n?(?=<\/li>|<ul>)/gs,
      '$1',
    )
    .replace(/<\/?li>/g, '')
    .replace(/<ul class="tree">/, '[')
    .replace(/<ul>/g, '(')
    .replace(/<\/ul>$/, ']')
    .replace(/<\/ul>/g, ')');
}

describe('lineageHtml', () => {
  it('nests each version under its parent, siblings oldest first', () => {
    const html = lineageHtml([node(1, null), node(2, 1), node(3, 1), node(4, 3)]);
    assert.equal(shape(html), '[v1(v2v3(v4))]');
  });

  it('starts a tree of its own for a version whose parent is unknown, and survives a cycle', () => {
    assert.equal(shape(lineageHtml([node(2, 1), node(3, 2)])), '[v2(v3)]');
    assert.equal(shape(lineageHtml([node(1, 2), node(2, 1)])), '[v1(v2)]');
  });
});
