// How the tests start the project's command-line tools and server as child processes, at the least cost a start
// can have (test time: README, Coverage and test time):
// - `node --import tsx <file>`: what the `tsx` command runs, without the extra process the command puts in front
//   of it (a second Node start per run of a tool);
// - without the test runner's process-info hook, which tap puts in NODE_OPTIONS for every process a test starts
//   (it records each module a process loads and writes it under .tap/ at exit: a good part of a child's start).
//   The children are not measured for coverage (test/coverage-hooks.mjs), so nothing of the report is lost.
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** tsx's loader, found from any working directory */
const TSX = import.meta.resolve('tsx')

/** The command and arguments that run a TypeScript file of the project (path from the project root, or absolute). */
export function tsxCommand(file: string, args: readonly string[] = []): [string, string[]] {
  return [process.execPath, ['--import', TSX, fileURLToPath(new URL(file, `file://${ROOT}`)), ...args]]
}

/** The environment for a child: the given one (the test's own by default) with tap's hooks taken out of NODE_OPTIONS. */
export function childEnv(env: NodeJS.ProcessEnv = process.env, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, ...extra }
  const options = (out.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((o) => o !== '' && !o.includes('@tapjs/processinfo'))
    .join(' ')
  if (options) out.NODE_OPTIONS = options
  else delete out.NODE_OPTIONS
  return out
}
