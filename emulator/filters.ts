/** ListSigningJobs' filters, as a pure function of a job and the query. */
import type { JobRecord, JobStatus } from './state'

export interface JobFilter {
  status?: JobStatus
  platformId?: string
  requestedBy?: string
  isRevoked?: boolean
  /** Epoch milliseconds. */
  signatureExpiresBefore?: number
  signatureExpiresAfter?: number
  jobInvoker?: string
}

/**
 * Whether a job passes every filter given. A job has no signatureExpiresAt until it succeeds, so either
 * expiry filter leaves unfinished and failed jobs out. isRevoked looks at the job's own revocation
 * (RevokeSignature).
 */
export function jobMatches(job: JobRecord, filter: JobFilter): boolean {
  if (filter.status !== undefined && job.status !== filter.status) return false
  if (filter.platformId !== undefined && job.platformId !== filter.platformId) return false
  if (filter.requestedBy !== undefined && job.requestedBy !== filter.requestedBy) return false
  if (filter.jobInvoker !== undefined && job.jobInvoker !== filter.jobInvoker) return false
  if (filter.isRevoked !== undefined && (job.revocation !== undefined) !== filter.isRevoked) return false
  if (filter.signatureExpiresBefore !== undefined || filter.signatureExpiresAfter !== undefined) {
    if (job.signatureExpiresAt === undefined) return false
    if (
      filter.signatureExpiresBefore !== undefined &&
      !(job.signatureExpiresAt < filter.signatureExpiresBefore)
    )
      return false
    if (
      filter.signatureExpiresAfter !== undefined &&
      !(job.signatureExpiresAt > filter.signatureExpiresAfter)
    )
      return false
  }
  return true
}

/** A stable description of the filters, so a nextToken is only valid for the same query. */
export function filterScope(operation: string, filter: object): string {
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
  return `${operation}?${JSON.stringify(entries)}`
}
