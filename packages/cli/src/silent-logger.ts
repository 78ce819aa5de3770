import { createLogger } from '@driftwatch/service-kit';

/**
 * For the bus helpers, which log as services do: JSON lines on stdout would corrupt the CLI's
 * output (and `--json`), and what they log (a follower group not deleted) is not a person's concern.
 */
export const silentLogger = createLogger('driftwatch-cli', 'silent');
