/** The services `run` starts and `status` reports on, in pipeline order. */
export const serviceNames = ['inference', 'joiner', 'detector', 'trainer'] as const;
export type ServiceName = (typeof serviceNames)[number];
