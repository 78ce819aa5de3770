import { join } from 'node:path';

import { repoRoot, startService, type ServiceName, type ServiceProcess } from '@driftwatch/demo';

export type { ServiceName, ServiceProcess } from '@driftwatch/demo';

/**
 * Starts a service from source, as `npm run dev -w` does, and waits until it has started. Its
 * output goes to .cache/test-logs/<name>-<pid>.log for when a test fails.
 */
export function startServiceProcess(
  name: ServiceName,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  return startService(name, { env, logDir: join(repoRoot, '.cache', 'test-logs'), from: 'source' });
}
