#!/usr/bin/env node
// The `vitest-isolation` bin.
import { main } from './main.ts'

const write =
  (stream: NodeJS.WriteStream) =>
  (text: string): void => {
    stream.write(`${text}\n`)
  }

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: write(process.stdout),
  stderr: write(process.stderr),
})
