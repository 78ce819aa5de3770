import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What prom-client's Registry offers; declared here so this package does not pin prom-client. */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

export interface HealthReport {
  healthy: boolean;
  checks: Record<string, { healthy: boolean; detail?: string }>;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `/metrics` (Prometheus text format) and `/healthz` (200 when healthy, 503 otherwise, JSON body
 * naming each check). Port 0 picks a free port; the bound one is `server.port`.
 */
export async function startOpsServer(options: {
  host: string;
  port: number;
  metrics: MetricsSource;
  health: () => HealthReport;
}): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/metrics') {
      options.metrics.metrics().then(
        (text) =>
          response.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
      return;
    }
    if (path === '/healthz') {
      const report = options.health();
      response
        .writeHead(report.healthy ? 200 : 503, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ status: report.healthy ? 'ok' : 'unhealthy', checks: report.checks }),
        );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics or /healthz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
