// Preloaded by run-tests.mjs into the runner and every test file's process. A test file runs in
// a child process that sends its results to the runner over a pipe, which Node writes
// asynchronously on Linux; `--test-force-exit` then ends the child with process.exit(), which
// drops what the pipe still holds. The run reported fewer tests than ran, and passed: one CI run
// lost a whole suite of eight (nodejs/node#64833, unfixed in Node 20). With blocking writes
// nothing is left buffered. The runner's own stdout gets the same, for when it is a pipe too.
const handle = process.stdout._handle;
if (typeof handle?.setBlocking === 'function') handle.setBlocking(true);
