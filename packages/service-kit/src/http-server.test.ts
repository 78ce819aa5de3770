import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { startOpsServer } from './http-server.js';

describe('ops server', () => {
  it('serves metrics and a health report that turns 503 when a check fails', async () => {
    let healthy = true;
    const server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics: {
        contentType: 'text/plain; version=0.0.4',
        metrics: () => Promise.resolve('x_total 1\n'),
      },
      health: () => ({ healthy, checks: { kafka: { healthy } } }),
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const metrics = await fetch(`${base}/metrics`);
      assert.equal(metrics.status, 200);
      assert.equal(await metrics.text(), 'x_total 1\n');
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      healthy = false;
      const unhealthy = await fetch(`${base}/healthz`);
      assert.equal(unhealthy.status, 503);
      assert.deepEqual(await unhealthy.json(), {
        status: 'unhealthy',
        checks: { kafka: { healthy: false } },
      });
      assert.equal((await fetch(`${base}/nope`)).status, 404);
    } finally {
      await server.close();
    }
  });
});
