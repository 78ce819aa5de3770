export { trainerEnv } from './config.js';
