// The places vitest-isolation's runtime names on the victim's failure, as candidates of the search: a test, the group of
// tests a hook runs for, or a module scope. The search confirms each by running it alone before the victim.
import path from 'node:path'

import type { Catalog } from './catalog.ts'
import type { Suspect } from './protocol.ts'
import { unitKey } from './units.ts'
import type { Unit } from './units.ts'

/** More suspects than this are left to the bisection (the journal lists the most likely first). */
export const MAX_SUSPECTS = 16

/**
 * The units of the suspects that are candidates of this hunt, most likely first, each once.
 * @example
 * suspectUnits([{ file: 'tests/a.test.ts', test: null, hook: 'beforeEach', suite: 'a', source: 'cause' }], catalog, root)
 * // → [{ kind: 'group', file: '/root/tests/a.test.ts', suite: ['a'], hook: 'beforeEach', tests: [...] }]
 */
export function suspectUnits(suspects: readonly Suspect[], catalog: Catalog, root: string): Unit[] {
  const units = new Map<string, Unit>()
  for (const suspect of suspects) {
    const unit = unitOf(suspect, catalog, path.resolve(root, suspect.file))
    if (unit && !units.has(unitKey(unit))) units.set(unitKey(unit), unit)
    if (units.size === MAX_SUSPECTS) break
  }
  return [...units.values()]
}

function unitOf(suspect: Suspect, catalog: Catalog, file: string): Unit | null {
  const rank = catalog.rank(file)
  if (rank === undefined) return null
  if (suspect.test !== null) return catalog.testsOf(file).find((u) => u.test.fullName === suspect.test) ?? null
  if (suspect.hook) return catalog.hookGroup(file, suspect.suite, suspect.hook)
  // A module evaluation; the victim's own file is evaluated whenever the victim runs, so it cannot be the cause.
  return catalog.isVictimFile(file) ? null : { kind: 'scope', file, rank }
}
