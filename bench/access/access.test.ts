/**
 * Per-access cost of a marked binding and of a `ctx` resource inside a test, against a plain top-level variable
 * (issue 3 target: ≤ 100 ns over a plain variable). It runs through the real plugin: this file is transformed, and the
 * reads happen inside a test that the runtime's aroundEach entered.
 *
 * Run from the repository root:
 *   npx vitest run --config bench/access/vitest.config.ts
 * It prints the median ns per read of each loop (over SAMPLES samples of READS reads) and writes them to
 * bench/results/tmp/access.json. Not part of the test suite: it asserts nothing about time.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { Meter, newMeter } from './meter.ts'

const READS = 200_000
const SAMPLES = 41

const plain = new Meter()

// @isolate
const marked = newMeter()

function plainLoop(reads: number): number {
  let sum = 0
  for (let i = 0; i < reads; i++) sum += plain.serial
  return sum
}

function markedLoop(reads: number): number {
  let sum = 0
  for (let i = 0; i < reads; i++) sum += marked.serial
  return sum
}

function contextLoop(context: { meter: Meter }, reads: number): number {
  let sum = 0
  for (let i = 0; i < reads; i++) sum += context.meter.serial
  return sum
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function nsPerRead(loop: (reads: number) => number): number {
  const samples: number[] = []
  for (let s = 0; s < SAMPLES; s++) {
    const start = process.hrtime.bigint()
    const sum = loop(READS)
    const elapsed = Number(process.hrtime.bigint() - start)
    if (sum !== READS) throw new Error('the loop did not read what it should')
    samples.push(elapsed / READS)
  }
  return median(samples)
}

// @isolate
test('per-access cost', (context) => {
  // Warm up every path (JIT) before measuring.
  for (let i = 0; i < 5; i++) {
    plainLoop(READS)
    markedLoop(READS)
    contextLoop(context, READS)
  }
  const plainNs = nsPerRead(plainLoop)
  const markedNs = nsPerRead(markedLoop)
  const contextNs = nsPerRead((reads) => contextLoop(context, reads))
  const results = {
    node: process.version,
    readsPerSample: READS,
    samples: SAMPLES,
    medianNsPerRead: { plain: plainNs, markedBinding: markedNs, contextResource: contextNs },
    overNsPerRead: { markedBinding: markedNs - plainNs, contextResource: contextNs - plainNs },
  }
  console.log(JSON.stringify(results, null, 2))
  mkdirSync('bench/results/tmp', { recursive: true })
  writeFileSync('bench/results/tmp/access.json', `${JSON.stringify(results, null, 2)}\n`)
  expect(marked).not.toBe(plain)
})
