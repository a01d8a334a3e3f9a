import { defineConfig } from 'vitest/config'
import { isolation } from '../../plugin/index.ts'

// The per-access benchmark: see access.test.ts for the command.
export default defineConfig({
  plugins: [isolation({ resources: { meter: './meter.ts#newMeter' } })],
  test: { include: ['bench/access/access.test.ts'], isolate: false, testTimeout: 120_000 },
})
