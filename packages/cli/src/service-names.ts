import { text } from '@driftwatch/service-kit';

/** The services `run` starts and `status` reports on, in pipeline order. */
export const serviceNames = ['inference', 'joiner', 'detector', 'trainer'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** The services' own overrides of their group ids; unset, `<TOPIC_PREFIX>driftwatch-<service>`. */
export const groupIdEnv = {
  INFERENCE_GROUP_ID: text(''),
  JOINER_GROUP_ID: text(''),
  DETECTOR_GROUP_ID: text(''),
  TRAINER_GROUP_ID: text(''),
};
