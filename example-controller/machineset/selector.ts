/**
 * Label-selector helpers: the string form stored in `status.selector` (for the scale subresource) and matching.
 */

/**
 * Formats `matchLabels` the way `labels.SelectorFromSet(...).String()` does: `key=value` pairs sorted by key, joined by
 * commas; an empty selector is the empty string.
 *
 * @example
 * selectorString({ b: '2', a: '1' }) // 'a=1,b=2'
 */
export function selectorString(matchLabels: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(matchLabels ?? {})
    .sort()
    .map((key) => `${key}=${(matchLabels as Record<string, string>)[key]}`)
    .join(',')
}

/**
 * True when every `matchLabels` entry is present in `labels` (an empty selector matches everything).
 *
 * @example
 * selectorMatches({ app: 'x' }, { app: 'x', tier: 'y' }) // true
 */
export function selectorMatches(
  matchLabels: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return Object.entries(matchLabels ?? {}).every(([key, value]) => labels?.[key] === value)
}
