import { Command, Option } from 'commander';

import { readCliConfig } from '../cli-config.js';
import { decideCandidate, type CandidateDecision } from '../decide-candidate.js';
import { currentUser } from '../current-user.js';
import { CliError } from '../errors.js';
import { parseTrafficShare } from '../traffic-share.js';
import { parseGain, parsePositiveInteger, parseSignificance } from '../number-options.js';
import { cliKafka } from '../kafka-client.js';
import { parseModelName } from '../model-name.js';
import { openModelVersions } from '../open-model-versions.js';
import { optionParser } from '../option-parser.js';
import { publishVersionRecord } from '../publish-version-record.js';
import { parseVersionNumber } from '../version-number.js';

/**
 * `driftwatch promote` or `driftwatch reject`: a person's decision on a candidate the trainer
 * published under `PROMOTION_MODE=manual`, written to model-versions as the version's new record.
 */
export function decisionCommand(decision: CandidateDecision): Command {
  const verb = decision === 'promote' ? 'promoted' : 'rejected';
  return new Command(decision)
    .description(
      decision === 'promote'
        ? 'serve a candidate version (PROMOTION_MODE=manual): inference swaps to it from its next batch'
        : 'reject a candidate version (PROMOTION_MODE=manual): it is kept for lineage and never served',
    )
    .argument('<model>', 'the model', optionParser(parseModelName))
    .argument('<version>', 'the candidate version (2 or v2)', optionParser(parseVersionNumber))
    .option('--reason <text>', `why it is ${verb}, for the version's record`)
    .addOption(
      new Option(
        '--traffic <share>',
        'split traffic instead: the share of events (10% or 0.1) the candidate scores beside the serving version',
      )
        .argParser(optionParser(parseTrafficShare))
        .hideHelp(decision !== 'promote'),
    )
    .addOption(
      new Option(
        '--shadow <labeled>',
        'put it on trial as a shadow instead: it scores every event beside the serving version, and after <labeled> labeled events the detector promotes it on live evidence or retires it',
      )
        .argParser(optionParser(parsePositiveInteger))
        .hideHelp(decision !== 'promote'),
    )
    .addOption(
      new Option(
        '--min-gain <gain>',
        'with --shadow: least live accuracy gain to promote (0.01: a point)',
      )
        .argParser(optionParser(parseGain))
        .default(0.01)
        .hideHelp(decision !== 'promote'),
    )
    .addOption(
      new Option(
        '--mcnemar-alpha <alpha>',
        "with --shadow: also require McNemar's p on the paired outcomes below this",
      )
        .argParser(optionParser(parseSignificance))
        .hideHelp(decision !== 'promote'),
    )
    .option('--by <name>', "who decides, for the version's record (default: your login)")
    .option(
      '--json',
      'print the version record written (without its ONNX) as one JSON object',
      false,
    )
    .addHelpText(
      'after',
      `
Only a candidate can be ${verb}: a version the trainer published as "candidate" because it met the
promotion criteria while PROMOTION_MODE=manual — or a "shadow" on trial (PROMOTION_STAGE=shadow),
ahead of the live evidence the detector would decide it on. \`driftwatch models <model>\` lists them.

Example:
  $ driftwatch ${decision} churn 7 --reason "${decision === 'promote' ? 'holdout and golden set both better' : 'worse on the enterprise segment'}"${decision === 'promote' ? '\n  $ driftwatch promote churn 7 --traffic 10%   # A/B: v7 scores 10% of events, by event id\n  $ driftwatch promote churn 7 --shadow 5000 --mcnemar-alpha 0.01   # shadow trial on live labels' : ''}`,
    )
    .action(
      async (
        model: string,
        version: number,
        options: {
          reason?: string;
          by?: string;
          traffic?: number;
          shadow?: number;
          minGain: number;
          mcnemarAlpha?: number;
          json: boolean;
        },
      ) => {
        if (decision === 'reject' && (options.traffic ?? options.shadow) !== undefined) {
          throw new CliError(
            'DW_CLI_BAD_OPTION',
            '--traffic and --shadow go with promote, not reject',
          );
        }
        if (options.traffic !== undefined && options.shadow !== undefined) {
          throw new CliError(
            'DW_CLI_BAD_OPTION',
            '--traffic splits the events, --shadow scores them all beside the serving version: choose one',
          );
        }
        const config = readCliConfig();
        const kafka = cliKafka(config);
        const { codec, registry } = await openModelVersions(config, kafka, decision);
        const record = decideCandidate(registry, {
          model,
          version,
          decision,
          by: options.by ?? currentUser(),
          ...(options.reason === undefined ? {} : { reason: options.reason }),
          ...(options.traffic === undefined ? {} : { traffic: options.traffic }),
          ...(options.shadow === undefined
            ? {}
            : {
                shadow: {
                  minLabeled: options.shadow,
                  minGain: options.minGain,
                  mcnemarAlpha: options.mcnemarAlpha ?? null,
                },
              }),
        });
        await publishVersionRecord(config, kafka, codec, record);
        const { onnx: _onnx, reference: _reference, ...shown } = record;
        console.log(
          options.json
            ? JSON.stringify(shown)
            : `${model} v${version} ${record.status === 'shadow' ? 'on trial' : record.traffic === null ? verb : 'split'} by ${record.decidedBy ?? ''} on ${config.names.modelVersions} — ${record.reason}`,
        );
      },
    );
}
