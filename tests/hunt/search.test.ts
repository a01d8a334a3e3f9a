import { describe, expect, test } from 'vitest'
import { findPolluters, splitInto } from '../../cli/hunt/search.ts'
import { fakeSuite } from './fake-suite.ts'

describe('splitInto', () => {
  test('near-equal contiguous parts, larger first', () => {
    expect(splitInto([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5], [6, 7]])
    expect(splitInto([1, 2], 5)).toEqual([[1], [2]])
    expect(splitInto([], 3)).toEqual([[]])
  })
})

describe('findPolluters', () => {
  test('one polluter among 200 files with one worker: plain bisection plus one confirmation', async () => {
    const fake = fakeSuite(200, [['f137']])
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f137']])
    // 7 halvings reach f137 (⌈log2 200⌉ = 8 at most), 1 run confirms the half that was assumed, then one round runs f137
    // again (the check against a flaky victim) and shows that the other 199 files no longer break the victim.
    expect(result.runs).toBe(10)
    expect(result.rounds).toBe(9)
  })

  test('with 3 workers each round splits 4 ways: fewer rounds than log2(N)', async () => {
    const fake = fakeSuite(200, [['f137']], { workers: 3 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f137']])
    const searchRounds = result.rounds - 1 // the last round checks the rest of the candidates
    expect(searchRounds).toBeLessThan(Math.log2(200))
    // 200 → 50 → 12 → 3 → 1, three sets per round, then f137 again and the check of the rest.
    expect(result).toMatchObject({ runs: 14, rounds: 5 })
    expect(Math.max(...fake.sizes)).toBe(3)
  })

  test('two independent polluters', async () => {
    const fake = fakeSuite(30, [['f4'], ['f21']], { workers: 2 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f4'], ['f21']])
    // 6 runs find f4, 1 shows the rest still fails (with f4 again), 6 find f21, 1 shows the rest passes (with f21 again).
    expect(result).toMatchObject({ runs: 16, rounds: 8 })
  })

  test('a polluting pair: only f3 and f20 together break the victim', async () => {
    const fake = fakeSuite(30, [['f3', 'f20']], { workers: 2 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f3', 'f20']])
    // The fast descent assumes a single polluter and is disproved by its confirmation run (7 runs); the pair is then
    // split with QuickXplain (after 1 run of all 30, which the search had only assumed to fail): f20 against the first
    // third held fixed, f3 against f20; the pair runs again with the check of the rest.
    expect(result).toMatchObject({ runs: 25, rounds: 14 })
  })

  test('a pair with one worker', async () => {
    const fake = fakeSuite(16, [['f1', 'f9']], { workers: 1 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f1', 'f9']])
    expect(result).toMatchObject({ runs: 17, rounds: 16 })
  })

  test('one unit in two pairs is reported with each partner', async () => {
    const fake = fakeSuite(12, [['f2', 'f5'], ['f2', 'f9']], { workers: 2 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([
      ['f2', 'f5'],
      ['f2', 'f9'],
    ])
  })

  test('no polluter: one run, nothing found', async () => {
    const fake = fakeSuite(50, [], { workers: 2 })
    const result = await findPolluters(fake.files, fake.space)
    expect(result).toEqual({ polluters: [], runs: 1, rounds: 1, flaky: null })
  })

  test('narrows a polluting file to the single test', async () => {
    const fake = fakeSuite(10, [['f6#t13']], { workers: 2, testsPerFile: 20 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f6#t13']])
    // 5 runs find f6, 1 shows its module scope alone does not pollute, 6 find t13 among its 20 tests, 1 checks the rest
    // (and 1 runs t13 again).
    expect(result).toMatchObject({ runs: 14, rounds: 8 })
  })

  test('two polluting tests in one file are both found', async () => {
    const fake = fakeSuite(6, [['f2#t1'], ['f2#t7']], { workers: 2, testsPerFile: 9 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f2#t1'], ['f2#t7']])
  })

  test('a file whose module scope pollutes is reported as the file scope', async () => {
    const fake = fakeSuite(10, [['f8#scope']], { workers: 2, testsPerFile: 5 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f8#scope']])
  })

  test('a pair of tests in different files (the suite of the end-to-end pair test)', async () => {
    const fake = fakeSuite(20, [['f5#t0', 'f14#t2']], { workers: 2, testsPerFile: 3 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true })
    expect(result.polluters).toEqual([['f5#t0', 'f14#t2']])
    expect(result.runs).toBe(28)
  })

  test('a correct hint is checked first and saves the search', async () => {
    const fake = fakeSuite(200, [['f137#t3']], { workers: 1, testsPerFile: 10 })
    const result = await findPolluters(fake.files, fake.space, { knownToFail: true, hints: ['f137#t3'] })
    expect(result.polluters).toEqual([['f137#t3']])
    expect(fake.calls[0]).toEqual(['f137#t3'])
    expect(result.runs).toBe(2)
  })

  test('a wrong hint costs one run', async () => {
    const fake = fakeSuite(20, [['f3']], { workers: 1 })
    const withHint = await findPolluters(fake.files, fake.space, { knownToFail: true, hints: ['f11'] })
    const plain = await findPolluters(fake.files, fakeSuite(20, [['f3']], { workers: 1 }).space, { knownToFail: true })
    expect(withHint.polluters).toEqual([['f3']])
    expect(withHint.runs).toBe(plain.runs + 1)
  })
})
