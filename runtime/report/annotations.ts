import { findingTitle, formatFinding } from './format.ts'
import type { Finding } from './types.ts'

// GitHub's workflow-command syntax: data escapes %, CR and LF; property values also escape ':' and ','.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/**
 * GitHub Actions annotations for findings: one `::warning` (or `::error` with `leaks: 'error'`) per observing test,
 * placed on the line where the test saw the object.
 */
export function githubAnnotations(findings: readonly Finding[], level: 'warning' | 'error'): string[] {
  const lines: string[] = []
  for (const finding of findings) {
    const places = finding.observedIn.length > 0 ? finding.observedIn : [finding.origin]
    for (const place of places) {
      const props = [`file=${escapeProperty(place.file)}`]
      if (place.line != null) props.push(`line=${place.line}`)
      if (place.column != null) props.push(`col=${place.column}`)
      props.push(`title=${escapeProperty(`vitest-isolation ${findingTitle(finding)}`)}`)
      lines.push(`::${level} ${props.join(',')}::${escapeData(formatFinding(finding))}`)
    }
  }
  return lines
}
