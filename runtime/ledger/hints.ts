/**
 * The hint of each finding: one sentence that says the fix, in the user's names (resource, binding, global).
 */

function resourceName(resource: string | undefined): string | undefined {
  return resource === undefined || resource.startsWith('binding:') ? undefined : resource
}

/**
 * `shared-instance` of an instance created at module scope. `binding` is the test file's top-level binding that holds it,
 * when known; else `declaredAt` (`file:line`) is where the test file made it at its top level. Without either (a helper
 * module's instance, say) marking is not the fix to suggest first.
 */
export function moduleInstanceHint(resource: string | undefined, binding: string | undefined, declaredAt?: string): string {
  const name = resourceName(resource)
  const bindingName = binding ?? (resource?.startsWith('binding:') ? resource.slice('binding:'.length) : undefined)
  const declaration = bindingName !== undefined ? `\`const ${bindingName}\`` : declaredAt && `the top-level declaration at ${declaredAt}`
  if (declaration) {
    const mark = `mark ${declaration} with // @isolate`
    return name ? `Give each test its own: ${mark}, or use ctx.${name}.` : `Give each test its own: ${mark}.`
  }
  if (name) return `Give each test its own: use ctx.${name} (or create it in beforeEach) instead of one module-level instance.`
  return 'Give each test its own: create it in beforeEach, or mark the top-level binding of the test file that holds it with // @isolate.'
}

/** `shared-instance` of an instance created by another test. */
export function testInstanceHint(resource: string | undefined): string {
  const name = resourceName(resource)
  const own = name ? `use ctx.${name} in each test` : 'create it in each test (or mark its binding with // @isolate)'
  return `Do not hand a test's instance to other tests through module-level variables or shared objects: ${own}.`
}

/** `foreign-object`: an object first seen in another test. */
export function foreignHint(label: string, originTest: string | null): string {
  const owner = originTest === null ? 'module scope' : `test "${originTest}"`
  return (
    `${label} belongs to ${owner}: create it in the test that uses it (or in beforeEach) instead of passing it on through ` +
    'a module-level variable or a shared instance; freeze it if it is a constant.'
  )
}

/** `foreign-object` of an object that test A passed to its instance and left in a module variable (`heldBy`). */
export function traveledHint(label: string, originTest: string | null, heldBy: string): string {
  return (
    `${label} belongs to test "${originTest ?? ''}", which left it in ${heldBy}: create it in the test that uses it (or in ` +
    'beforeEach) instead of passing it on through that variable; freeze it if it is a constant.'
  )
}

/** `retained`: the fix depends on what holds the object (the root and the first step of the path). */
export function retainedHint(retainedBy: string | null): string {
  if (retainedBy === null) return 'Release it when the test ends: clear the caches, timers and listeners that hold it in afterEach.'
  const binding = /^module binding `([^`]+)`/.exec(retainedBy)?.[1]
  const holder = binding ?? /^(globalThis(?:\.[\w$]+|\[[^\]]*\]))/.exec(retainedBy)?.[1] ?? 'its holder'
  const steps = retainedBy.split(' → ')
  const step = steps[1] ?? ''
  const closure = steps.some((s) => s.startsWith('closure '))
  const perTest = binding ? ', or make it per-test with // @isolate' : ''
  // A vi.fn()'s call record (`.mock.calls`, `.mock.results`): Vitest clears it only when told to.
  if (step === '.mock') return `Clear the mock's record after each test (\`${holder}.mockClear()\` in afterEach, or \`clearMocks: true\` in the Vitest config).`
  if (closure) return `Release the test's objects from the closure reached through \`${holder}\` in afterEach${perTest}.`
  if (step.startsWith('Array[')) return `Empty \`${holder}\` after each test (\`${holder}.length = 0\` in afterEach)${perTest}.`
  if (step.startsWith('Map ') || step.startsWith('Set ')) {
    return `Clear \`${holder}\` after each test (\`${holder}.clear()\` in afterEach)${perTest}.`
  }
  return `Drop the test's objects from \`${holder}\` in afterEach${perTest}.`
}
