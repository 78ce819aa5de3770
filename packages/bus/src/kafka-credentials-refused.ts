import { ConfigError } from '@driftwatch/service-kit';

/**
 * The configuration error to report when `error` is the broker refusing our SASL credentials, or
 * undefined for any other error. kafkajs marks the refusal non-retriable, and it is: retrying a
 * wrong password only fills the log (and may lock the account), so it ends the process at once
 * and names the variables to fix. kafkajs' message names the mechanism and never the password.
 */
export function kafkaCredentialsRefused(error: unknown): ConfigError | undefined {
  if (!(error instanceof Error) || error.name !== 'KafkaJSSASLAuthenticationError')
    return undefined;
  return new ConfigError([
    {
      variable: 'KAFKA_SASL_PASSWORD',
      problem: `the broker refused the credentials of KAFKA_SASL_USERNAME with this password (${error.message})`,
    },
  ]);
}
