// The shape every subcommand of the `vitest-isolation` bin shares, so the dispatcher is a table.

/** Where a command writes, and where it runs (injectable for tests). */
export interface CommandIo {
  cwd: string
  /** Writes one block of text (a newline is added). */
  stdout: (text: string) => void
  stderr: (text: string) => void
}

/** A subcommand: its one-line summary for the bin's help, and its entry point returning the exit code. */
export interface Command {
  usage: string
  summary: string
  run: (argv: string[], io: CommandIo) => Promise<number>
}
