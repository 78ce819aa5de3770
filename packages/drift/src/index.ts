export { DriftError, type DriftErrorCode } from './errors.js';
export { mulberry32, type Random } from './random.js';
export { detectedIndices, type DriftDetector } from './testing/detected-indices.js';
