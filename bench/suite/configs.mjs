// The configurations the suite benchmark compares. Each is its own generated project and its own `vitest run` process;
// they differ in how the tests get their Scheme and fake client (`style`), in Vitest's options, and in the plugin's.
//
// style:
//   shared  one module-level Scheme and client per file, used by every test of the file (what isolation makes safe)
//   extend  hand-written `test.extend` fixtures: a fresh Scheme and client per test, nothing tracked
//   marked  module-level `const scheme` / `const client` under `// @isolate` (the plugin makes them per test)
//   ctx     the plugin's resources: `async ({ scheme, client }) => …`
//
// `declares: false`: the plugin with nothing declared (no resources, no markers): the shared-style files of the floor under
// `isolation()`, as a user's suite is on the day the plugin is added. The state journal (option `journal`, default 'on')
// then has the whole run to itself: `bare` and `bare-off`, and `ctx` and `ctx-nojournal`, tell its share apart.

/** Every configuration, in the order the tables show them. `floor` is the baseline of the ratios. */
export const CONFIGS = [
  { id: 'default', label: 'Vitest default (isolate: true, forks)', style: 'shared', test: {} },
  { id: 'threads', label: 'isolate: true, threads', style: 'shared', test: { pool: 'threads' } },
  { id: 'floor', label: 'isolate: false (floor; unsafe, shared state)', style: 'shared', test: { isolate: false } },
  // Side by side (adjacent in every round): the plugin with nothing declared, without and with the journal.
  {
    id: 'bare-off',
    label: "plugin: nothing declared, journal: 'off', isolate: false",
    style: 'shared',
    test: { isolate: false },
    plugin: { journal: 'off' },
    declares: false,
  },
  { id: 'bare', label: 'plugin: nothing declared (journal on, the default), isolate: false', style: 'shared', test: { isolate: false }, plugin: {}, declares: false },
  { id: 'extend', label: 'test.extend fixtures, isolate: false (no plugin)', style: 'extend', test: { isolate: false } },
  {
    id: 'marked',
    label: "plugin: marked bindings, isolate: false (default retention: 'file', journal on)",
    style: 'marked',
    test: { isolate: false },
    plugin: {},
  },
  { id: 'ctx', label: "plugin: ctx resources, isolate: false (default retention: 'file', journal on)", style: 'ctx', test: { isolate: false }, plugin: {} },
  {
    id: 'ctx-nojournal',
    label: "plugin: ctx resources, journal: 'off' (default retention: 'file')",
    style: 'ctx',
    test: { isolate: false },
    plugin: { journal: 'off' },
  },
  {
    id: 'retention',
    label: "plugin: ctx resources, retention: 'test' (journal on)",
    style: 'ctx',
    test: { isolate: false },
    plugin: { retention: 'test' },
  },
  {
    // Not one of the configurations: what the plugin costs without the default `retention: 'file'` (weak
    // references to every test's objects, checked at file ends, and one forced collection at the end of the run).
    id: 'nogc',
    label: "plugin: ctx resources, retention: 'off' (journal on)",
    style: 'ctx',
    test: { isolate: false },
    plugin: { retention: 'off' },
  },
]

/** The baseline configuration of the ratios. */
export const FLOOR = 'floor'

/** The configuration the "× faster than default" column compares with. */
export const DEFAULT = 'default'

/** The journal's share: each pair is the same suite and options but `journal`, `[on, off]`, measured in the same rounds. */
export const JOURNAL_PAIRS = [
  { name: 'nothing declared', on: 'bare', off: 'bare-off' },
  { name: 'ctx resources', on: 'ctx', off: 'ctx-nojournal' },
]
