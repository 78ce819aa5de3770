export { joinerEnv } from './config.js';
