/**
 * A passthrough as a process of its own (started by `forkPassthrough`): runs it with the options
 * in argv, says `ready` once it has joined its group, and on `stop` stops and sends its stats.
 */
import { startPassthrough, type PassthroughOptions } from './passthrough.js';

const send = (message: object): Promise<void> =>
  new Promise((resolve) => {
    if (process.send)
      process.send(message, () => {
        resolve();
      });
    else resolve();
  });

// Orphaned (the bench died): nobody will ever ask us to stop.
process.on('disconnect', () => process.exit(1));

const options = JSON.parse(process.argv[2] ?? '{}') as PassthroughOptions;
try {
  const running = await startPassthrough(options);
  running.failed.catch(async (error: unknown) => {
    await send({ kind: 'failed', message: String(error) });
    process.exit(1);
  });
  process.on('message', (message: { kind: string }) => {
    if (message.kind !== 'stop') return;
    void running.stop().then(async (stats) => {
      await send({ kind: 'stopped', stats });
      process.exit(0);
    });
  });
  await send({ kind: 'ready' });
} catch (error) {
  await send({ kind: 'failed', message: String(error) });
  process.exit(1);
}
