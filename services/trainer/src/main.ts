import { runService } from '@driftwatch/service-kit';

import { trainerEnv } from './config.js';

await runService({
  name: 'trainer',
  env: trainerEnv,
  start: ({ health }) => {
    health.set('ready', true);
    return Promise.resolve({ stop: () => Promise.resolve() });
  },
});
