/**
 * The reconciler's two sources of non-determinism — randomness (Machine name suffixes) and the clock (Machine ages,
 * condition transition times) — as injectable parameters, so tests pass a seeded source and a fixed clock.
 * The random source and its seeded implementation are the fake client's (`client/random.ts`), so one seed can drive
 * both generateName and Machine names.
 */
import { randomString, type Random } from '../client/random.ts'

/** A clock returning the current time. */
export type Clock = () => Date

/** The real clock. */
export const systemClock: Clock = () => new Date()

/**
 * Returns a clock that always reads `at` (tests move time by building another one).
 *
 * @example
 * const now = fixedClock('2026-01-01T00:00:00Z')
 */
export function fixedClock(at: string | Date): Clock {
  const time = typeof at === 'string' ? new Date(at) : new Date(at.getTime())
  return () => new Date(time.getTime())
}

/** Length of the random suffix of a Machine name (`<set>-<suffix>`), as upstream's name generator uses. */
export const MACHINE_NAME_SUFFIX_LENGTH = 5

/**
 * Returns the random suffix of a new Machine name.
 *
 * @example
 * machineNameSuffix(seededRandom(1)) // five characters from 'bcdfghjklmnpqrstvwxz2456789'
 */
export function machineNameSuffix(random: Random): string {
  return randomString(random, MACHINE_NAME_SUFFIX_LENGTH)
}

/**
 * Returns a Fisher–Yates shuffled copy of `items`; tests use it to present Machines in a seeded random order.
 *
 * @example
 * shuffled([1, 2, 3], seededRandom(7))
 */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)))
    const tmp = out[i] as T
    out[i] = out[j] as T
    out[j] = tmp
  }
  return out
}
