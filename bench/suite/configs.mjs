// The configurations the suite benchmark compares. Each is its own generated project and its own `vitest run` process;
// they differ in how the tests get their Scheme and fake client (`style`), in Vitest's options, and in the plugin's.
//
// style:
//   shared  one module-level Scheme and client per file, used by every test of the file (what isolation makes safe)
//   extend  hand-written `test.extend` fixtures: a fresh Scheme and client per test, nothing tracked
//   marked  module-level `const scheme` / `const client` under `// @isolate` (the plugin makes them per test)
//   ctx     the plugin's resources: `async ({ scheme, client }) => …`

/** Every configuration, in the order the tables show them. `floor` is the baseline of the ratios. */
export const CONFIGS = [
  { id: 'default', label: 'Vitest default (isolate: true, forks)', style: 'shared', test: {} },
  { id: 'threads', label: 'isolate: true, threads', style: 'shared', test: { pool: 'threads' } },
  { id: 'floor', label: 'isolate: false (floor; unsafe, shared state)', style: 'shared', test: { isolate: false } },
  { id: 'extend', label: 'test.extend fixtures, isolate: false (no plugin)', style: 'extend', test: { isolate: false } },
  { id: 'marked', label: "plugin: marked bindings, isolate: false (default retention: 'file')", style: 'marked', test: { isolate: false }, plugin: {} },
  { id: 'ctx', label: "plugin: ctx resources, isolate: false (default retention: 'file')", style: 'ctx', test: { isolate: false }, plugin: {} },
  {
    id: 'retention',
    label: "plugin: ctx resources, retention: 'test'",
    style: 'ctx',
    test: { isolate: false },
    plugin: { retention: 'test' },
  },
  {
    // Not one of the configurations: what the plugin costs without the default `retention: 'file'` (weak
    // references to every test's objects, checked at file ends, and one forced collection at the end of the run).
    id: 'nogc',
    label: "plugin: ctx resources, retention: 'off'",
    style: 'ctx',
    test: { isolate: false },
    plugin: { retention: 'off' },
  },
]

/** The baseline configuration of the ratios. */
export const FLOOR = 'floor'

/** The configuration the "× faster than default" column compares with. */
export const DEFAULT = 'default'
