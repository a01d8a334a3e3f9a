/**
 * THE TRAP, kept on purpose: the one module-level Scheme that every fake client built without
 * `withScheme` shares (controller-runtime falls back to client-go's global `scheme.Scheme` the same way).
 * Listing an unregistered kind as unstructured writes `<Kind>List` into the client's scheme, so with this
 * fallback one test's list changes what every other test's scheme knows — Cluster API #11722's flake.
 * Give every test its own scheme (`newScheme()`, or the plugin's `scheme` resource).
 */
import { addClusterApiToScheme } from '../api/register.ts'
import { Scheme } from '../scheme/scheme.ts'

/**
 * The shared fallback Scheme: Cluster API's core kinds only. Provider kinds (the Generic* infrastructure
 * and bootstrap kinds) are left out, as in Cluster API's tests, where they are CRDs handled unstructured.
 */
export const defaultScheme: Scheme = new Scheme('defaultScheme')
addClusterApiToScheme(defaultScheme)
