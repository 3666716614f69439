// Loaded (node --import) into every test process of the covered pass (test/run.ts), after the test loader
// (test/loader.mjs, which compiles the project's .ts files keeping their lines, so line coverage maps back to them).
//
// Only the test processes are measured: a server or a tool a test starts as a child process runs compiled code of
// its own (test/child.ts, or tsx under `npm run …`), and its coverage of the same file would be counted against
// another compilation's lines.
process.env._TAPJS_PROCESSINFO_COVERAGE_ = '0'
