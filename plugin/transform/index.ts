/**
 * The pure transform of vitest-isolation: reads markers, re-binds marked bindings, wraps marked tests and instruments
 * declared factories. It imports nothing from Vite, so it is tested without it.
 */
export { transformTestFile } from './transform.ts'
export { instrumentFactories } from './factories.ts'
export { MARKER_RE, hasMarker } from './markers.ts'
export { FactoryExportError, LocatedError, MarkerError, TransformSyntaxError } from './errors.ts'
export type { MarkerProblem } from './errors.ts'
export type { ResolvedResource, TransformOptions, TransformResult } from './types.ts'
