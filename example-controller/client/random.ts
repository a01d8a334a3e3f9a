/**
 * Random names. The source is injectable (`Random`) so tests are deterministic: `seededRandom(seed)` gives a
 * reproducible sequence, and the reconciler uses the same type for machine names and the Random order.
 */

/** A source of random numbers in [0, 1), like `Math.random`. */
export type Random = () => number

/** The characters Kubernetes uses for random name suffixes (no vowels, no look-alikes). */
export const NameSuffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789'

/** Longest name the API accepts. */
export const MaxNameLength = 63
/** Length of the random suffix of a generated name. */
export const RandomSuffixLength = 5
/** Longest prefix kept from `generateName` (63 − 5). */
export const MaxGeneratedNamePrefixLength = MaxNameLength - RandomSuffixLength

/** Returns `length` random characters from `NameSuffixAlphabet`. */
export function randomString(random: Random, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) {
    out += NameSuffixAlphabet[Math.floor(random() * NameSuffixAlphabet.length) % NameSuffixAlphabet.length]
  }
  return out
}

/** Makes a name from a `generateName` prefix: the prefix cut to 58 characters plus 5 random characters. */
export function generateName(prefix: string, random: Random): string {
  return prefix.slice(0, MaxGeneratedNamePrefixLength) + randomString(random, RandomSuffixLength)
}

/** Returns a deterministic Random for a seed (mulberry32). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
