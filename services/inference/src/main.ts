import { runService } from '@driftwatch/service-kit';

import { inferenceEnv } from './config.js';

await runService({
  name: 'inference',
  env: inferenceEnv,
  start: ({ health }) => {
    health.set('ready', true);
    return Promise.resolve({ stop: () => Promise.resolve() });
  },
});
