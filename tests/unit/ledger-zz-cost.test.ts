import { test, expect, vi } from 'vitest'
import * as api from '../../example-controller/api/index.ts'
import { Ledger } from '../../runtime/ledger/index.ts'
import { Machine } from '../../example-controller/api/machine.ts'

const helpers = { make: () => new Machine(), api }
test('cost', async () => {
  const ledger = new Ledger({ current: () => cur })
  let cur: any
  const roots: Record<string, unknown> = { api, helpers, Machine, vi, expect, test, ledger }
  for (const [name, v] of Object.entries(roots)) ledger.addRoot({ file: 'x', name, line: 1, get: () => v })
  const held: object[] = []
  const mk = (id: string) => ({ kind: 'test' as const, file: 'x', test: id, id, isolated: false })
  for (const id of ['a', 'b', 'c']) {
    const s = mk(id); ledger.testStarted(s); cur = s
    const c = ledger.track({ put(x: object) { return x } }, { owner: s, file: 'x' })
    held.push(c.put({ n: id }))
    cur = undefined; ledger.testFinished(s)
  }
  const t = performance.now()
  const found = await ledger.checkRetention()
  console.log('check ms', performance.now() - t, found.length)
})
