/**
 * End-to-end: with Vitest's on-disk transform cache, a change of the plugin's options (the config file unchanged) must
 * not serve a stale transform.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { runFixture, states } from './helpers.ts'

const cacheDirs: string[] = []
afterEach(() => {
  delete process.env.FIXTURE_ISOLATION_MODE
  for (const dir of cacheDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

test.for([['marked', 'all'], ['all', 'marked']] as const)('options %s then %s', async (modes) => {
  const cache = mkdtempSync(join(tmpdir(), 'vitest-isolation-fs-cache-'))
  cacheDirs.push(cache)
  for (const mode of modes) {
    process.env.FIXTURE_ISOLATION_MODE = mode
    const result = await runFixture('cache', {
      test: { experimental: { fsModuleCache: true, fsModuleCachePath: cache } },
    })
    expect(states(result)).toEqual({
      'mode.test.ts > the transform follows the current options, not a cached transform of other options': 'passed',
    })
    // The cache is in use: the runs would share entries if the key ignored the options.
    expect(readdirSync(cache).length).toBeGreaterThan(0)
    // Vitest 5 renamed the hook and warns about the old name (the compatibility matrix runs this on Vitest 5).
    expect(result.output).not.toContain('experimental_defineCacheKeyGenerator')
  }
})
