import { ProvenanceFilters } from '../provenance/layout'
import { ProvenanceReport } from './types'

/** The filters as a user typed them: "commit abc1234, run-id 42". */
export function filtersText(filters: ProvenanceFilters): string {
  const parts: string[] = []
  if (filters.repository !== undefined) parts.push(`repository ${filters.repository}`)
  if (filters.commit !== undefined) parts.push(`commit ${filters.commit}`)
  if (filters.runId !== undefined) parts.push(`run-id ${filters.runId}`)
  return parts.join(', ')
}

/**
 * One line for the plan and the summary. Job ids come from record keys (letters, digits and hyphens only)
 * and field names are this code's own: nothing a record says is printed.
 */
export function provenanceLine(report: ProvenanceReport): string {
  if (report.error !== undefined) return `jobs with ${filtersText(report.filters)}: ${report.error}`
  const parts = [
    `${report.matched} job(s) matched among ${report.records} record(s) at ${report.location} (${report.pages} page(s))`
  ]
  if (report.excluded.length > 0) {
    parts.push(`job(s) of the window left out, their records do not match: ${report.excluded.join(', ')}`)
  }
  if (report.signedNothing.length > 0) {
    parts.push(`job(s) that Failed and signed nothing: ${report.signedNothing.join(', ')}`)
  }
  if (report.contradicted.length > 0) {
    parts.push(
      `job(s) whose records are contradicted (not revoked): ${report.contradicted.map(c => c.jobId).join(', ')}`
    )
  }
  if (report.unresolved.length > 0) {
    parts.push(
      `${report.unresolved.length} job(s) without a readable record (unresolved, not revoked): ${report.unresolved.join(', ')}`
    )
  }
  return `jobs with ${filtersText(report.filters)}: ${parts.join('; ')}`
}

/** What the responder must look at: jobs without a readable record, and a search that found no record. */
export function provenanceWarnings(report: ProvenanceReport): string[] {
  const reasons = new Map(report.unreadable.map(entry => [entry.jobId, entry.reason]))
  const warnings = report.unresolved.map(jobId => {
    const reason = reasons.get(jobId)
    return reason
      ? `Signing job ${jobId}: its provenance record could not be read (${reason}): unresolved, not revoked`
      : `Signing job ${jobId} was found by the time-window search but has no provenance record: not revoked`
  })
  if (report.error === undefined && report.records === 0) {
    warnings.push(
      `No provenance record under ${report.location}: check records-bucket and records-prefix (the ` +
        "signing workflow's destination-bucket, and its destination-prefix followed by provenance/)"
    )
  }
  return warnings
}

/** One error line per contradicted record: the step fails so that someone looks. */
export function contradictionLines(report: ProvenanceReport): string[] {
  return report.contradicted.map(
    ({ jobId, against, fields }) =>
      `Signing job ${jobId}: its provenance record at ${report.location} is contradicted by ${against} ` +
      `(${fields.join(', ')}); it was not revoked. Someone with the sign role may have planted or altered ` +
      'records: compare the record with aws signer describe-signing-job before acting on it'
  )
}
