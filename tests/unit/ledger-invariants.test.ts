// The invariant harness must be able to fail: each check is shown catching the fault it exists for.
import { describe, expect, test } from 'vitest'
import type { Finding } from '../../runtime/report/types.ts'
import { FILE, harness, testOwner } from './ledger-harness.ts'

class Thing {
  #data = new Map<string, object>()
  put(key: string, value: object): void {
    this.#data.set(key, value)
  }
}

const a = testOwner('a')
const b = testOwner('b')
type Writable = Record<string, unknown>

describe('the invariant harness catches', () => {
  test('a tracked object held by a property of the ledger', () => {
    const h = harness()
    const thing = h.ledger.track(new Thing(), { owner: null, file: FILE })
    ;(h.ledger as unknown as Writable).leak = [thing]
    expect(() => h.check()).toThrow('the ledger holds a handed object strongly')
  })

  test('a tracked object held only by a closure of the ledger (deep check)', () => {
    const h = harness()
    const thing = h.ledger.track(new Thing(), { owner: null, file: FILE })
    ;(h.ledger as unknown as Writable).leak = ((kept: object) => () => kept)(thing)
    expect(() => h.check()).not.toThrow()
    expect(() => h.deepCheck()).toThrow('closure or private field')
  })

  test('an object kept alive, by forced garbage collection', async () => {
    const h = harness()
    const keep: object[] = []
    await expect(
      h.expectCollected(() => {
        keep.push(h.ledger.track(new Thing(), { owner: null, file: FILE }))
      }),
    ).rejects.toThrow('objects the ledger kept alive')
  })

  test('a duplicate finding, and findings that differ from what was reported', () => {
    const h = harness()
    let leaked: Thing | undefined
    h.runTest(a, () => (leaked = h.ledger.track(new Thing(), { owner: a, file: FILE })))
    h.runTest(b, () => leaked!.put('k', {}))
    const [finding] = h.ledger.findings()
    ;(h.ledger as unknown as Writable).findings = (): Finding[] => [finding, finding]
    expect(() => h.check()).toThrow()
  })

  test('a finding observed by its own origin test', () => {
    const h = harness()
    h.received.push({
      finding: {
        kind: 'shared-instance',
        concurrent: false,
        object: 'Thing#1',
        origin: { file: FILE, test: 'a' },
        observedIn: [{ file: FILE, test: 'a' }],
        hint: 'Give each test its own instance, it is the hint.',
      },
      observer: a,
    })
    ;(h.ledger as unknown as Writable).findings = (): Finding[] => h.received.map((r) => r.finding)
    expect(() => h.check()).toThrow()
  })
})
