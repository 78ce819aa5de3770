export { inferenceEnv } from './config.js';
