export { MlflowError, type MlflowErrorCode } from './errors.js';
export { MlflowClient, type MlflowClientOptions, type MlflowRun } from './mlflow-client.js';
export { MlflowTracker, type TrackOutcome } from './mlflow-tracker.js';
export { versionRun, type VersionRun } from './version-run.js';
