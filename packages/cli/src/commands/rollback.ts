import { Command, Option } from 'commander';

import { readCliConfig } from '../cli-config.js';
import { currentUser } from '../current-user.js';
import { cliKafka } from '../kafka-client.js';
import { parseModelName } from '../model-name.js';
import { openModelVersions } from '../open-model-versions.js';
import { optionParser } from '../option-parser.js';
import { publishVersionRecord } from '../publish-version-record.js';
import { rollbackRecord } from '../rollback-record.js';
import { parseVersionNumber } from '../version-number.js';

/** `driftwatch rollback`: serve an earlier version again, as a new version (`rollbackRecord`). */
export function rollbackCommand(): Command {
  return new Command('rollback')
    .description(
      'serve an earlier version of <model> again (default: the one the serving version replaced)',
    )
    .argument('<model>', 'the model', optionParser(parseModelName))
    .addOption(
      new Option('--to <version>', 'the earlier version to serve (2 or v2)').argParser(
        optionParser(parseVersionNumber),
      ),
    )
    .option('--reason <text>', "why, for the version's record")
    .option('--by <name>', "who rolls back, for the version's record (default: your login)")
    .option(
      '--json',
      'print the version record written (without its ONNX) as one JSON object',
      false,
    )
    .addHelpText(
      'after',
      `
The earlier version's ONNX bytes are published as a new version (numbered after the highest,
its parent the version serving now), promoted: inference swaps to it from its next batch, and
the lineage shows the rollback. Only a version that once served can be rolled back to.

Examples:
  $ driftwatch rollback churn --reason "v7 misroutes enterprise accounts"
  $ driftwatch rollback churn --to 3`,
    )
    .action(
      async (
        model: string,
        options: { to?: number; reason?: string; by?: string; json: boolean },
      ) => {
        const config = readCliConfig();
        const kafka = cliKafka(config);
        const { codec, registry } = await openModelVersions(config, kafka, 'rollback');
        const record = rollbackRecord(registry, {
          model,
          by: options.by ?? currentUser(),
          now: Date.now(),
          ...(options.to === undefined ? {} : { to: options.to }),
          ...(options.reason === undefined ? {} : { reason: options.reason }),
        });
        await publishVersionRecord(config, kafka, codec, record);
        const { onnx: _onnx, reference: _reference, ...shown } = record;
        console.log(
          options.json
            ? JSON.stringify(shown)
            : `${model} v${record.version} promoted on ${config.names.modelVersions} — ${record.reason}`,
        );
      },
    );
}
