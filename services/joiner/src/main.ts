import { runService } from '@driftwatch/service-kit';

import { joinerEnv } from './config.js';

await runService({
  name: 'joiner',
  env: joinerEnv,
  start: ({ health }) => {
    health.set('ready', true);
    return Promise.resolve({ stop: () => Promise.resolve() });
  },
});
