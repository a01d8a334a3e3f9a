import type { IsolationContext } from '../../runtime/index.ts'

/** The object read in the benchmark loops. */
export class Meter {
  serial = 1
}

/** The `meter` resource's factory. */
export function newMeter(): Meter {
  return new Meter()
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface TestContext extends IsolationContext<{ meter: typeof newMeter }> {}
}
