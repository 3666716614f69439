// What the command-line tools (keys, backup, import) share: whatever goes wrong is one line on stderr, never a stack
// trace, with the exit codes their --help states (1 when the work failed, 2 for a usage error).

/** The first line of a message, trimmed: an error's detail never spills over several lines. */
export const oneLine = (text: string) => text.split('\n')[0].trim()

/** Any error nothing caught ends the tool with `<tool>: <its first line>` and exit code 1. */
export function reportErrorsInOneLine(tool: string): void {
  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    process.on(event, (err: unknown) => {
      console.error(`${tool}: ${oneLine(err instanceof Error ? err.message : String(err))}`)
      process.exit(1)
    })
  }
}

/** A usage error: `<tool>: <message>` and exit code 2. */
export function usageError(tool: string, message: string): never {
  console.error(`${tool}: ${message}`)
  process.exit(2)
}
