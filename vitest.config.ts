import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { isolation } from './plugin/index.ts'

// Dogfood: the repository's own tests run with the plugin, with the example controller's Scheme and fake client as
// resources — once those modules exist (the plugin would otherwise fail at start-up, as it should for a user).
const exampleModules = ['./example-controller/scheme/index.ts', './example-controller/client/index.ts']
const exampleReady = exampleModules.every((path) => existsSync(fileURLToPath(new URL(path, import.meta.url))))

const dogfood = exampleReady
  ? [
      isolation({
        resources: {
          scheme: './example-controller/scheme/index.ts#newScheme',
          client: { module: './example-controller/client/index.ts', export: 'newFakeClient', uses: ['scheme'] },
        },
      }),
    ]
  : []

export default defineConfig({
  test: {
    projects: [
      {
        plugins: dogfood,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/e2e/**', 'tests/hunt/hunt.e2e.test.ts', 'tests/fixtures/**', '**/node_modules/**'],
        },
      },
      {
        // End-to-end tests drive Vitest itself on fixture projects; they need no plugin, only more time.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts', 'tests/hunt/hunt.e2e.test.ts'],
          // The hunt's end-to-end tests run the built CLI (its tinypool worker must be plain JS): built once here.
          globalSetup: ['tests/hunt/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
