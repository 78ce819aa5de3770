export { runDemo, type DemoOptions, type DemoSummary } from './commands/demo.js';
