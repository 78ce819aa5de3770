export { detectorEnv } from './config.js';
