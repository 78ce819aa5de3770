import { runService } from '@driftwatch/service-kit';

import { detectorEnv } from './config.js';

await runService({
  name: 'detector',
  env: detectorEnv,
  start: ({ health }) => {
    health.set('ready', true);
    return Promise.resolve({ stop: () => Promise.resolve() });
  },
});
