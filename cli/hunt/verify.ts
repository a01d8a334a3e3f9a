// The first step of a hunt: list the candidate files, then check in one round that the victim passes alone and fails
// after every candidate. The second run also collects every test of every file and what the runtime wrote on the failure.
import path from 'node:path'

import type { HuntPool } from './pool.ts'
import type { RunOutcome, VictimRef } from './protocol.ts'
import { UsageError } from '../usage.ts'
import type { HuntArgs } from './args.ts'

/** What the verification established; `failure` says why the hunt cannot go on (null when it can). */
export interface Verified {
  root: string
  /** The candidate files, in run order (the victim's file not among them). */
  files: string[]
  /** The victim's file relative to the root, and how progress lines name the victim. */
  victimFile: string
  label: string
  all: RunOutcome
  failure: { reason: string; error: string | null } | null
}

/** Lists and verifies; throws a UsageError when the victim is no test of the project. */
export async function verify(pool: HuntPool, args: HuntArgs, progress: (line: string) => void): Promise<Verified> {
  const listing = await pool.list(args.victimFile)
  const root = listing.root
  const victimFile = path.relative(root, args.victimFile).split(path.sep).join('/')
  if (!listing.ok) {
    throw new UsageError(`${victimFile} is not a test file of this Vitest project (include: ${listing.include.join(', ')})`)
  }
  const files = listing.files
  const label = args.victimTest ? `${victimFile} > ${args.victimTest}` : victimFile
  const order = args.seed === null ? 'file order' : `the order of --sequence.seed=${args.seed}`

  const byName: VictimRef = { file: args.victimFile, testId: null, fullName: args.victimTest }
  const namePattern = args.victimTest ? fullNamePattern(args.victimTest) : undefined
  const [alone, all] = await Promise.all([
    pool.run([{ file: args.victimFile, testIds: null, testNamePattern: namePattern }], byName, true),
    pool.run([...files.map((file) => ({ file, testIds: null })), { file: args.victimFile, testIds: null }], byName, true),
  ])
  if (!alone.victimFound) {
    throw new UsageError(`no test named "${args.victimTest}" in ${victimFile}${known(alone, args.victimFile)}`)
  }
  // Reported once the victim is known to exist, so that a wrong name stays a one-line usage error.
  const verdict = (outcome: RunOutcome): string => (outcome.victimFailed ? 'fails' : 'passes')
  progress(`verified: ${label} ${verdict(alone)} alone, ${verdict(all)} after ${files.length} other test file(s) in ${order}`)
  const verified: Verified = { root, files, victimFile, label, all, failure: null }
  const hasSiblings = args.victimTest !== null && (all.tests[args.victimFile] ?? []).length > 1
  if (alone.victimFailed) {
    verified.failure = { reason: `${label} fails even when it runs alone`, error: alone.victimError }
  } else if (files.length === 0 && !hasSiblings) {
    verified.failure = { reason: `${victimFile} is the only test file: nothing can run before it`, error: null }
  } else if (!all.victimFailed) {
    const reason = `${label} passes after all ${files.length} other test file(s) ran before it in one worker with isolate: false (${order})`
    verified.failure = { reason, error: null }
  }
  return verified
}

/** A name pattern for the alone run, before the victim's test id is known (see `testNamePattern` in replay.ts). */
function fullNamePattern(fullName: string): string {
  // Vitest matches `-t` against names joined by spaces, and a name may itself contain ' > ': accept either separator.
  const escaped = fullName.split(' > ').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return `^${escaped.join('(?: | > )')}$`
}

function known(outcome: RunOutcome, file: string): string {
  const names = (outcome.tests[file] ?? []).map((t) => `"${t.fullName}"`)
  if (names.length === 0) return ''
  return ` (it has ${names.slice(0, 5).join(', ')}${names.length > 5 ? `, … ${names.length - 5} more` : ''})`
}
