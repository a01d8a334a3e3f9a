/** The factory of a Scheme with the example API installed — the `scheme` resource of the plugin's config. */
import { addToScheme } from '../api/register.ts'
import { Scheme } from './scheme.ts'

/** Returns a new Scheme with the whole example API installed (`addToScheme`). */
export function newScheme(): Scheme {
  const scheme = new Scheme()
  addToScheme(scheme)
  return scheme
}
