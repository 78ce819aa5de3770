export { calibrateConceptRules } from './calibrate-concept-rules.js';
export { calibrateDataRules } from './calibrate-data-rules.js';
export {
  calibrateVersionAlarms,
  calibrateVersionConceptRules,
  sameAlarmSettings,
  type CalibratedVersion,
} from './calibrate-version-alarms.js';
export {
  classProbabilityTrackName,
  dataRuleTracks,
  scoreTrackName,
  type DataRuleTrack,
  type DataRuleTrackSource,
} from './data-rule-tracks.js';
export {
  createErrorStreamDetector,
  updateWithError,
  type ErrorStreamDetectorName,
} from './error-stream-detector.js';
export {
  calibrateMultivariateRules,
  clusterTrackName,
  type MultivariateCalibration,
} from './calibrate-multivariate-rules.js';
