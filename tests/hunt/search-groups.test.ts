// The search with many polluters: hints first, groups that stand for a hook, polluters reported as they are confirmed,
// and a victim whose answers contradict each other.
import { describe, expect, test } from 'vitest'

import { findPolluters } from '../../cli/hunt/search.ts'
import { fakeSuite } from './fake-suite.ts'

/** A seeded PRNG (mulberry32), so that a "random" victim answers the same in every run of this test. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('groups', () => {
  test('a hook that makes every test of a file pollute is one polluter: the group, not 20 tests', async () => {
    const fake = fakeSuite(10, [['f6#any']], { workers: 2, testsPerFile: 20 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f6#all']])
    // 5 runs find f6, 1 clears its module scope, 6 descend to its first test, 1 probes its last test; then one round
    // runs the first test again and shows that the rest passes.
    expect(result).toMatchObject({ runs: 15, rounds: 9, flaky: null })
    expect(fake.calls).toContainEqual(['f6#t19'])
  })

  test('two files with a polluting hook each: two polluters', async () => {
    const fake = fakeSuite(12, [['f2#any'], ['f9#any']], { workers: 2, testsPerFile: 31 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f2#all'], ['f9#all']])
  })

  test('a first test that pollutes alone is not widened when the last test of its file does not', async () => {
    const fake = fakeSuite(10, [['f6#t0']], { workers: 2, testsPerFile: 20 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f6#t0']])
  })
})

describe('hints', () => {
  test('a confirmed group hint removes all its tests from the search; bisection finds the polluter it does not explain', async () => {
    const fake = fakeSuite(10, [['f3#any'], ['f8#t2']], { workers: 2, testsPerFile: 5 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true, hints: ['f3#all', 'f5#t1'] })
    expect(result.polluters).toEqual([['f3#all'], ['f8#t2']])
    expect(fake.calls.slice(0, 2)).toEqual([['f3#all'], ['f5#t1']])
    // no set run after the hints holds a test of f3
    expect(fake.calls.slice(2).flat().some((unit) => unit.startsWith('f3'))).toBe(false)
  })

  test('six polluters named by hints: one round of hints, one check of the rest', async () => {
    const polluters = ['f1#t2', 'f4#t0', 'f9#t3', 'f13#t1', 'f17#t2', 'f22#t0']
    const fake = fakeSuite(26, polluters.map((p) => [p]), { workers: 2, testsPerFile: 4 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true, hints: [...polluters, 'f5#t1'] })
    expect(result.polluters).toEqual(polluters.map((p) => [p]))
    expect(result).toMatchObject({ runs: 8, rounds: 2 })
  })

  test('each polluter is reported as soon as it is confirmed, once', async () => {
    const fake = fakeSuite(30, [['f4'], ['f12'], ['f21']], { workers: 2 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(fake.found.map((f) => f.set)).toEqual([['f4'], ['f12'], ['f21']])
    // the first is known long before the search ends
    expect(fake.found[0].afterRuns).toBeLessThan(result.runs / 2)
    expect(fake.found[2].afterRuns).toBe(result.runs)
  })
})

describe('a victim whose answers contradict each other', () => {
  test('failed once (in the verification) and never again: flaky, after a few runs', async () => {
    const fake = fakeSuite(30, [], { workers: 2, oracle: () => false })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([])
    expect(result.flaky).toHaveLength(30)
    expect(result.runs).toBeLessThanOrEqual(14)
  })

  test('with one worker too', async () => {
    const fake = fakeSuite(30, [], { workers: 1, oracle: () => false })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([])
    expect(result.flaky).not.toBeNull()
    expect(result.runs).toBeLessThanOrEqual(20)
  })

  test('fails at random half of the time: every search ends quickly, nearly all saying flaky', async () => {
    const outcomes = []
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed)
      const fake = fakeSuite(100, [], { workers: 2, testsPerFile: 5, oracle: () => next() < 0.5 })
      const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
      outcomes.push({ flaky: result.flaky !== null, runs: result.runs, polluters: result.polluters.length })
    }
    expect(Math.max(...outcomes.map((o) => o.runs))).toBeLessThanOrEqual(60)
    expect(outcomes.filter((o) => o.flaky).length).toBeGreaterThanOrEqual(17)
  })
})
