/**
 * `npm run chaos [-- --seed N --events N --rate N --kills N --freezes N --freeze-ms N --storm N]`:
 * issue 10's full chaos run on an isolated stack of its own (own ports, own data, wiped after).
 * Prints one line of counts; exits 1 when anything was lost or duplicated.
 */
import { parseArgs } from 'node:util';

import { isolatedStackEnv, runStackCli } from '../support/stack-cli.js';
import { formatCounts, runChaos } from './chaos-run.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    events: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '100' },
    kills: { type: 'string', default: '20' },
    freezes: { type: 'string', default: '0' },
    'freeze-ms': { type: 'string', default: '40000' },
    storm: { type: 'string', default: '0' },
    'timeout-ms': { type: 'string', default: '900000' },
  },
});
const number = (name: keyof typeof values): number => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${name} must be a number >= 0, got ${values[name]}`);
    process.exit(2);
  }
  return value;
};

const options = {
  seed: number('seed'),
  events: number('events'),
  rate: number('rate'),
  kills: number('kills'),
  freezes: number('freezes'),
  freezeMs: number('freeze-ms'),
  stormCycles: number('storm'),
  timeoutMs: number('timeout-ms'),
};
const stackEnv = await isolatedStackEnv();
const say = (line: string): void => {
  console.log(`chaos: ${line}`);
};
say(`isolated stack: ${stackEnv['KAFKA_BROKERS']}, ${stackEnv['REDIS_URL']}`);
const up = await runStackCli(['up'], stackEnv);
if (up.code !== 0) {
  console.error(up.stderr);
  process.exit(1);
}
let failed: boolean;
try {
  const report = await runChaos({ ...options, stackEnv, log: say });
  for (const exit of report.unexpectedExits) {
    say(
      `unexpected exit of ${exit.member} (${String(exit.code ?? exit.signal)}): ${exit.lastErrors.join(' | ')} — ${exit.logFile}`,
    );
  }
  if (report.lost + report.duplicated > 0) {
    say(
      JSON.stringify({
        predictions: {
          lost: report.predictions.lost.slice(0, 10),
          dup: report.predictions.duplicateExamples,
        },
        joined: { lost: report.joined.lost.slice(0, 10), dup: report.joined.duplicateExamples },
        alerts: report.alerts,
        requests: report.requests,
        versions: report.versions,
      }),
    );
  }
  say(`recovery by service: ${JSON.stringify(report.recovery?.byService ?? {})}`);
  console.log(formatCounts(report));
  failed = report.lost + report.duplicated > 0 || report.versions.backwards.length > 0;
} finally {
  await runStackCli(['down', '--wipe'], stackEnv);
}
process.exit(failed ? 1 : 0);
