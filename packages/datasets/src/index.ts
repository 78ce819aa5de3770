export { DatasetError, type DatasetErrorCode, type DatasetErrorLocation } from './errors.js';
export { type StreamRow } from './stream-row.js';
export {
  seaFeatureNames,
  seaLabel,
  seaStream,
  type ResolvedSeaConcept,
  type SeaConcept,
  type SeaFeatureName,
  type SeaFeatures,
  type SeaPositiveSide,
  type SeaRow,
  type SeaStream,
  type SeaStreamOptions,
} from './sea-stream.js';
export { seaClassicConcepts, seaDataDriftConcepts, seaDemoConcepts } from './sea-presets.js';
export {
  orientationClasses,
  orientationFeatureNames,
  orientationKeypoints,
  orientationPostures,
  type Orientation,
  type OrientationFeatureName,
  type OrientationFeatures,
  type OrientationKeypoint,
  type OrientationPosture,
  type OrientationPostureTemplate,
} from './orientation-postures.js';
export {
  orientationStream,
  type OrientationRow,
  type OrientationSample,
  type OrientationStream,
  type OrientationStreamOptions,
} from './orientation-stream.js';
export {
  orientationGoldenSet,
  type OrientationGoldenSetOptions,
} from './orientation-golden-set.js';
export {
  elec2Columns,
  elec2DefaultFeatures,
  parseElec2,
  readElec2,
  type Elec2Feature,
  type Elec2Options,
  type Elec2Row,
  type ParseElec2Options,
} from './elec2.js';
export {
  parseLabeledCsv,
  readLabeledCsv,
  type LabeledCsv,
  type LabeledCsvOptions,
  type LabeledCsvRow,
  type ParseLabeledCsvOptions,
} from './labeled-csv.js';
export { eventId } from './event-id.js';
export {
  deliverySchedule,
  type Delivery,
  type DeliveryScheduleOptions,
  type EventDelivery,
  type LabelDelay,
  type LabelDelivery,
} from './delivery-schedule.js';
export {
  openStream,
  streamCatalog,
  type OpenStreamOptions,
  type OpenedStream,
  type StreamCatalogEntry,
  type StreamName,
} from './stream-catalog.js';
